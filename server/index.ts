import { createServer, type Server as HttpServer } from "node:http";
import next from "next";
import { describeError } from "@/lib/errors/describe-error";
import { ConfigError, loadConfig, readEnvironment, type AppConfig } from "@/server/env";
import { Auth } from "@/server/auth/auth";
import { readAuthConfig, type AuthConfig } from "@/server/auth/config";
import { setAuth } from "@/server/auth/registry";
import { prepareRequest } from "@/server/http/prepare-request";
import { createLogger } from "@/server/log";
import { createRuntime } from "@/server/create-runtime";
import { setRuntime } from "@/server/runtime";

/**
 * The Outbox Lens server: Next (pages, route handlers) and socket.io on one HTTP server and port.
 * Run by tsx: `npm run dev` (NODE_ENV unset → development) or `npm start` (production build).
 */

// Total time allowed for a graceful shutdown. Process supervisors (docker stop, systemd, Playwright)
// follow SIGTERM with SIGKILL after ~10 s; exiting on our own first keeps the exit code meaningful.
const SHUTDOWN_GRACE_MS = 8_000;
// In-flight HTTP requests (health checks take at most a few seconds) get this long to finish
// before their connections are cut; long-polling socket.io requests would otherwise hold the close.
const HTTP_DRAIN_MS = 3_000;

const log = createLogger("server");

function loadConfigOrExit(): { config: AppConfig; auth: AuthConfig } {
  try {
    const { env, envFile } = readEnvironment();
    return { config: loadConfig(env, envFile ?? undefined), auth: readAuthConfig(env) };
  } catch (error) {
    if (error instanceof ConfigError) {
      // The message lists every bad variable; a stack trace would only hide it.
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

function listen(server: HttpServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? new Error(`${host}:${port} is already in use (set PORT or stop the other process)`) : error);
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

function closeHttp(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    const drain = setTimeout(() => server.closeAllConnections(), HTTP_DRAIN_MS);
    drain.unref();
    server.close(() => {
      clearTimeout(drain);
      resolve();
    });
    server.closeIdleConnections();
  });
}

async function main(): Promise<void> {
  const { config, auth: authConfig } = loadConfigOrExit();
  const dev = config.nodeEnv !== "production";
  const auth = new Auth(authConfig, { allowedOrigins: config.http.allowedOrigins });
  setAuth(auth);
  log.info(`access: ${describeAccess(auth)}`);

  // Last line of defence: a KafkaJS (or other) promise rejected without a handler must not take
  // the dashboard down under Node's default policy. Every known path handles its errors; reaching
  // this handler is a bug, logged as such.
  process.on("unhandledRejection", (reason) => {
    log.error(`unhandled promise rejection (server kept running): ${describeError(reason)}`);
  });

  const httpServer = createServer();
  const app = next({ dev, hostname: config.http.host, port: config.http.port, httpServer });
  await app.prepare();
  const handle = app.getRequestHandler();

  // Registered before socket.io attaches: socket.io wraps the existing request listeners and
  // routes its own path to itself, everything else to Next.
  httpServer.on("request", (req, res) => {
    // Internal headers, security headers, and the sign-in redirect for pages; every route
    // handler and socket event still checks access itself.
    if (!prepareRequest(req, res, { auth, dev })) return;
    handle(req, res).catch((error: unknown) => {
      log.error(`request ${req.method} ${req.url} failed: ${describeError(error)}`);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end("Internal Server Error");
      } else {
        res.end();
      }
    });
  });

  const { runtime, start, close } = createRuntime(config, httpServer, log, auth);
  setRuntime(runtime);
  runtime.health.start();
  // The tail and the collector start without waiting for the pipeline: a broker that is down is a
  // state to show, not a reason not to serve.
  void start();

  await listen(httpServer, config.http.host, config.http.port);
  log.info(
    `Outbox Lens listening on http://${config.http.host}:${config.http.port} (${dev ? "development" : "production"}` +
      `${config.stackName ? `, stack ${config.stackName}` : ""})`,
  );

  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      log.warn(`${signal} again: exiting without finishing the shutdown`);
      process.exit(1);
    }
    shuttingDown = true;
    log.info(`${signal}: shutting down`);
    const forced = setTimeout(() => {
      log.error(`shutdown took longer than ${SHUTDOWN_GRACE_MS} ms: exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    forced.unref();

    // Sockets first (they would otherwise keep reconnecting to a half-closed server), then HTTP,
    // then the clients the handlers used.
    await new Promise<void>((resolve) => {
      runtime.io.close(() => resolve());
    });
    await closeHttp(httpServer);
    await close();
    await app.close().catch((error: unknown) => log.warn(`closing Next failed: ${describeError(error)}`));
    setRuntime(null);
    setAuth(null);
    clearTimeout(forced);
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", (signal) => void shutdown(signal));
  process.on("SIGTERM", (signal) => void shutdown(signal));
}

/** One line for the log: who can get in, and whether anything can be changed. */
function describeAccess(auth: Auth): string {
  const d = auth.describe();
  const who = d.authMode === "none" ? "anyone who can reach the server (no sign-in)" : `sign-in required (${d.users} users, ${d.tokens} API tokens${d.proxy ? ", trusted proxy" : ""})`;
  return `${who}; ${d.readOnlyReason ?? "write actions allowed by role"}`;
}

main().catch((error: unknown) => {
  log.error(`failed to start: ${describeError(error)}`);
  process.exit(1);
});
