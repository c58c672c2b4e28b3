/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // pg and kafkajs are Node-only and are loaded by the custom server, never bundled; so is the
  // native CRC32C (@node-rs/crc32) KafkaJS's record batches are checksummed with.
  serverExternalPackages: ["pg", "kafkajs", "@node-rs/crc32"],
  // Browser source maps only for profiling builds (bench:messages-browser --cpu-profile names the
  // original functions with them); a normal build ships none.
  productionBrowserSourceMaps: process.env.OUTBOX_LENS_BROWSER_SOURCE_MAPS === "1",
};

export default nextConfig;
