import type { AuthConfig, Clock } from "@cogkit/core";
import type { ServerClientOptions } from "@cogkit/core/server";
import { auth } from "../auth.mjs";

/**
 * The pool the app talks to, from the environment at request time: `COGKIT_CONFIG`, the JSON
 * of a client config (`scripts/with-emulator.mjs` sets the emulator's). Not a secret: the
 * browser gets it too.
 */
export function appConfig(): AuthConfig {
  const json = process.env.COGKIT_CONFIG;
  if (!json) throw new Error("COGKIT_CONFIG is not set: start the app with `pnpm --filter example-next dev`");
  const { region, userPoolId, userPoolClientId, userPoolEndpoint } = JSON.parse(json) as AuthConfig;
  return { ...auth, region, userPoolId, userPoolClientId, userPoolEndpoint };
}

/**
 * What every server client of the app shares. The secret encrypts a sign-in's pending step
 * (a new password, an MFA code) between requests. In development against the emulator
 * (`COGKIT_EMULATOR_CLOCK=1`) the server's clock follows the emulator's, so moving the
 * emulator's time expires sessions here too.
 */
export async function serverOptions(): Promise<Omit<ServerClientOptions, "cookies">> {
  const secret = process.env.COGKIT_SECRET;
  return {
    secret,
    // Plain http on localhost in development; Secure (and __Host- names) in production.
    cookieOptions: { secure: process.env.NODE_ENV === "production" && process.env.COGKIT_INSECURE_COOKIES !== "1" },
    platform: process.env.COGKIT_EMULATOR_CLOCK === "1" ? { clock: await emulatorClock() } : {},
  };
}

async function emulatorClock(): Promise<Clock> {
  const response = await fetch(new URL("/_emulator/time", appConfig().userPoolEndpoint), { cache: "no-store" });
  const { now } = (await response.json()) as { now: number };
  const offset = now - Date.now();
  return {
    now: () => Date.now() + offset,
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}
