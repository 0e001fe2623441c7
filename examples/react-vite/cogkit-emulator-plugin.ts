import { type Emulator, type EmulatorOptions, startEmulator } from "@cogkit/emulator";
import type { Plugin } from "vite";
import { auth, signInPolicy } from "./src/auth.js";
import { runtimeConfigOf, runtimeConfigPath, servedAt } from "./src/runtime-config.js";

/**
 * Runs the app against an emulator in `vite dev`: starts one booted from `src/auth.ts`, its
 * hosted UI sending users back to the dev server (unless given one), serves its config at
 * `/__cogkit/config.json`, stops it with the server.
 *
 * @example
 * export default defineConfig({ plugins: [react(), cogkitEmulator({ port: 9229 })] });
 */
export function cogkitEmulator(options: EmulatorOptions & { emulator?: Emulator } = {}): Plugin {
  const { emulator: given, ...emulatorOptions } = options;
  return {
    name: "cogkit-emulator",
    apply: "serve",
    async configureServer(server) {
      const log = (line: string) => server.config.logger.info(`  ${line}`, { timestamp: true });
      // The hosted UI sends users back to this dev server (strictPort keeps it on this port).
      const { host, port } = server.config.server;
      const appUrl = `http://${typeof host === "string" ? host : "127.0.0.1"}:${port}/`;
      const emulator = given ?? (await startEmulator({ auth: servedAt(auth, appUrl), log, ...signInPolicy, ...emulatorOptions }));
      const body = JSON.stringify(runtimeConfigOf(emulator));
      server.middlewares.use(runtimeConfigPath, (_request, response) => {
        response.setHeader("content-type", "application/json");
        response.end(body);
      });
      server.httpServer?.once("close", () => void (given ? undefined : emulator.stop()));
      server.config.logger.info(`  cogkit emulator: ${emulator.url} (codes it "sends" are printed here and shown in the app)`);
    },
  };
}
