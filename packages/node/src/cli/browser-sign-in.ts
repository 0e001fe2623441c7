import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AuthClient } from "@cogkit/core";
import { openBrowser } from "./open-browser.js";

/** Where the loopback server listens and what redirect URI it stands for. */
export interface LoopbackAddress {
  /** The host of the redirect URI: `127.0.0.1` or `localhost`, as registered. */
  host: string;
  /** The registered port; 0 when any free port will do. */
  port: number;
  /** The path the callback comes to. */
  path: string;
}

/**
 * The loopback address of a registered callback URL (`http://127.0.0.1:<port>/…` or
 * `http://localhost:<port>/…`), or `http://127.0.0.1:<free port>/callback` without one
 * (RFC 8252 §7.3: a loopback redirect URI matches with any port). `undefined` for a URL that
 * is not a loopback http URL.
 *
 * @example
 * loopbackAddress("http://localhost:8765/cb") // { host: "localhost", port: 8765, path: "/cb" }
 */
export function loopbackAddress(callbackUrl: string | undefined): LoopbackAddress | undefined {
  if (callbackUrl === undefined) return { host: "127.0.0.1", port: 0, path: "/callback" };
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" || (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") || url.search || url.hash || url.username) return undefined;
  return { host: url.hostname, port: url.port === "" ? 0 : Number(url.port), path: url.pathname };
}

/** Options of {@link browserSignIn}. */
export interface BrowserSignInOptions {
  address: LoopbackAddress;
  /** Makes the client for this redirect URI (its config registers it as the callback URL). */
  clientFor(redirectUri: string): Promise<AuthClient>;
  hostedUi: typeof import("@cogkit/core/hosted-ui");
  provider?: string;
  scopes?: string[];
  /** How long to wait for the browser to come back. */
  timeoutMs: number;
  env: Record<string, string | undefined>;
  stderr: { write(text: string): unknown };
}

/** Why {@link browserSignIn} stopped without a sign-in, for the CLI to explain. */
export class BrowserSignInError extends Error {}

/**
 * Signs in through the hosted UI the way RFC 8252 has native apps do it: a one-shot HTTP
 * server on 127.0.0.1 is the redirect URI, core's `signInWithRedirect` stores the PKCE
 * verifier, `state` and `nonce` and hands out the authorize URL, which is printed (always:
 * there may be no browser here) and opened in the user's browser. The server answers only
 * its own path with the `state` it waits for; that callback is completed by core's
 * `completeSignIn` (code exchange, `nonce` and issuer checks, the session stored), and the
 * browser gets a page that says to go back to the terminal (it shows nothing of the URL).
 * The server is closed however it ends: signed in, refused, failed, or timed out. Resolves
 * with the client, signed in; the caller disposes of it.
 *
 * @example
 * const client = await browserSignIn({ address: loopbackAddress(undefined)!, clientFor, hostedUi, timeoutMs: 300_000, env, stderr });
 */
export async function browserSignIn(options: BrowserSignInOptions): Promise<AuthClient> {
  const { address, hostedUi } = options;
  let expectedState: string | undefined;
  let completing = false;
  let client: AuthClient | undefined;
  let settle!: { resolve(): void; reject(error: unknown): void };
  const outcome = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // Awaited only once the authorize URL is out; a timeout before that is no unhandled rejection.
  outcome.catch(() => undefined);
  let redirectUri = "";

  const server = createServer((request, response) => {
    // A request that fails to be answered must not take the sign-in down with it.
    answer(request, response).catch(() => response.destroy());
  });
  async function answer(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", redirectUri);
    if (request.method !== "GET" || url.pathname !== address.path) return page(response, 404, "Not found", "This is cogkit's sign-in callback; nothing is here.");
    // Anything but the callback of this very request (a stale tab, another program) is refused.
    const callback = url.searchParams.has("code") || url.searchParams.has("error");
    if (expectedState === undefined || url.searchParams.get("state") !== expectedState || !callback || completing) {
      return page(response, 400, "Not this sign-in", "This is not the sign-in that cogkit login is waiting for. Start it again from the terminal.");
    }
    completing = true;
    clearTimeout(timer);
    try {
      // Built on the redirect URI, not on the Host header the request came with.
      const completed = await hostedUi.completeSignIn(client!, { url: `${redirectUri}${url.search}` });
      if (completed === null) throw new BrowserSignInError("the callback was not a sign-in's (no code)");
    } catch (error) {
      await page(response, 400, "Sign-in failed", "cogkit could not sign you in. The terminal says why; you can close this window.");
      return settle.reject(error);
    }
    await page(response, 200, "Signed in", "You are signed in to cogkit. You can close this window and return to the terminal.");
    settle.resolve();
  }

  const timer = setTimeout(
    () => settle.reject(new BrowserSignInError(`no sign-in came back from the browser within ${Math.round(options.timeoutMs / 1000)} s; run cogkit login --browser again`)),
    options.timeoutMs,
  );
  try {
    await listen(server, address);
    redirectUri = `http://${address.host}:${(server.address() as AddressInfo).port}${address.path}`;
    client = await options.clientFor(redirectUri);
    await hostedUi.signInWithRedirect(client, {
      provider: options.provider,
      scopes: options.scopes,
      redirectUri,
      navigate(authorizeUrl) {
        expectedState = new URL(authorizeUrl).searchParams.get("state") ?? undefined;
        options.stderr.write(`Open this URL to sign in:\n\n  ${authorizeUrl}\n\nWaiting for the browser to come back to ${redirectUri} …\n`);
        openBrowser(authorizeUrl, options.env);
      },
    });
    await outcome;
    return client;
  } catch (error) {
    client?.dispose();
    throw error;
  } finally {
    clearTimeout(timer);
    server.close();
    // A browser keeps its connection open; the process must not wait for it.
    server.closeAllConnections();
  }
}

function listen(server: ReturnType<typeof createServer>, address: LoopbackAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new BrowserSignInError(`port ${address.port} of the callback URL is in use on 127.0.0.1; stop what listens there, or register another loopback callback URL`)
          : error,
      ),
    );
    // Loopback only: nothing else on the network can bring a callback.
    server.listen(address.port, "127.0.0.1", () => resolve());
  });
}

/** A small page for the browser; it never repeats anything of the request. */
function page(response: ServerResponse, status: number, title: string, text: string): Promise<void> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family: system-ui, sans-serif; margin: 3em"><h1>${title}</h1><p>${text}</p></body></html>`;
  return new Promise((resolve) => {
    response.writeHead(status, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
      connection: "close",
    });
    response.end(html, () => resolve());
  });
}
