import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { type RuntimeConfig, runtimeConfigPath } from "../src/runtime-config.js";

const appRoot = fileURLToPath(new URL("..", import.meta.url));
const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

/** A production build of the app by its own vite.config.ts (as `vite build` makes it), in a temporary directory. */
export async function buildApp(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "cogkit-react-vite-"));
  // Vitest sets NODE_ENV=test, which Vite would honour with a development build of React.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  await build({
    root: appRoot,
    configFile: join(appRoot, "vite.config.ts"),
    build: { outDir: dir, emptyOutDir: true },
    logLevel: "error",
  }).finally(() => {
    process.env.NODE_ENV = nodeEnv;
  });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Serves a build on 127.0.0.1 with `/__cogkit/config.json` pointing at the given pools. The
 * config is read at each request: an emulator whose hosted UI sends users back to this
 * server can only be booted once its URL is known.
 */
export async function serveApp(dir: string, config: () => RuntimeConfig): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path === runtimeConfigPath) {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(config()));
      return;
    }
    const file = join(dir, normalize(path === "/" ? "/index.html" : path));
    const found = file.startsWith(dir) && (await stat(file).catch(() => undefined))?.isFile();
    const served = found ? file : join(dir, "index.html");
    response.writeHead(200, { "content-type": types[extname(served)] ?? "application/octet-stream" });
    createReadStream(served).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
