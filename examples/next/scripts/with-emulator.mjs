// Runs the app against a fresh emulator: `node scripts/with-emulator.mjs dev|start`.
// The emulator boots from auth.mjs; the app gets its config, a secret for the sign-in state
// cookie and the emulator's clock through the environment.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { startEmulator } from "@cogkit/emulator";
import { auth } from "../auth.mjs";

const command = process.argv[2] === "start" ? "start" : "dev";
const port = process.env.PORT ?? "3000";
const emulator = await startEmulator({ auth, port: Number(process.env.COGKIT_EMULATOR_PORT ?? 0) });
console.log(`cogkit emulator: ${emulator.url} (codes it "sends" are printed here)`);
const next = createRequire(import.meta.url).resolve("next/dist/bin/next");
const child = spawn(process.execPath, [next, command, "--port", port], {
  stdio: "inherit",
  env: {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    COGKIT_CONFIG: JSON.stringify(emulator.config),
    COGKIT_SECRET: process.env.COGKIT_SECRET ?? randomBytes(32).toString("base64url"),
    // Sessions expire when the emulator's clock is moved (POST /_emulator/time).
    COGKIT_EMULATOR_CLOCK: "1",
    // http://localhost: no Secure cookies, even from `next start`.
    COGKIT_INSECURE_COOKIES: "1",
  },
});
const stop = () => child.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
child.on("exit", async (code) => {
  await emulator.stop();
  process.exit(code ?? 0);
});
