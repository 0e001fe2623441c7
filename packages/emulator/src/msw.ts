import { http, type HttpHandler } from "msw";
import type { EmulatorCore } from "./create-emulator.js";

/**
 * msw request handlers that answer everything under the emulator's URL with the
 * emulator itself — for tests that want no port. Pair it with `createEmulator`. The
 * `Host` check and the limits of `startEmulator`'s server do not apply here: the test
 * chose the URL and no port is open. CORS and the control routes' origin checks do.
 *
 * @example
 * const emulator = await createEmulator({ url: "http://cognito.test" });
 * const server = setupServer(...emulatorHandlers(emulator));
 * server.listen();
 */
export function emulatorHandlers(emulator: Pick<EmulatorCore, "url" | "handle">): HttpHandler[] {
  return [http.all(`${emulator.url}/*`, ({ request }) => emulator.handle(request))];
}
