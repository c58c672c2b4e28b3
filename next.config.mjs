/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // pg and kafkajs are Node-only and are loaded by the custom server, never bundled.
  serverExternalPackages: ["pg", "kafkajs"],
};

export default nextConfig;
