// Test support for the server client: an emulator whose clock moves with a test clock, a
// browser-like cookie jar fed by Set-Cookie headers, and request handlers made of plain
// Request/Response, as a framework would write them.
import { type AuthConfig, createAuthClient, createMemoryStorage } from "@cogkit/core";
import { createServerClient, requestCookies, type ServerClientOptions } from "@cogkit/core/server";
import { type Emulator, type EmulatorOptions, startEmulator } from "@cogkit/emulator";
import { createTestClock } from "./test-clock.js";

export const password = "Corr3ct-Horse!";
export const secret = "a-test-secret-of-at-least-32-characters!";
/** Tokens live 5 minutes: the refresh policy refreshes them in their last 75 s. */
export const lifetimeMs = 300_000;
export const origin = "http://app.test";
let counter = 0;

/** The cookies a browser would hold for the app: `Set-Cookie` in, a `Cookie` header out. */
export function createBrowserJar(initial: Record<string, string> = {}) {
  const cookies = new Map(Object.entries(initial));
  return {
    cookies,
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join("; "),
    /** Stores a response's cookies (`Max-Age=0` deletes); returns the `Set-Cookie` lines. */
    apply(response: Response): string[] {
      const lines = response.headers.getSetCookie();
      for (const line of lines) {
        const [pair] = line.split(";");
        const at = pair!.indexOf("=");
        const name = pair!.slice(0, at);
        if (/;\s*Max-Age=0(;|$)/i.test(line)) cookies.delete(name);
        else cookies.set(name, pair!.slice(at + 1));
      }
      return lines;
    },
    copy() {
      return createBrowserJar(Object.fromEntries(cookies));
    },
  };
}
export type BrowserJar = ReturnType<typeof createBrowserJar>;

/** An emulator with short-lived tokens and a test clock started at its time; `advance` moves both. */
export async function startServerHarness(options: EmulatorOptions = {}) {
  const emulator: Emulator = await startEmulator({
    quiet: true,
    tokenValidity: { accessSeconds: lifetimeMs / 1000, idSeconds: lifetimeMs / 1000, refreshSeconds: 30 * 86_400 },
    ...options,
  });
  const config: AuthConfig = emulator.config;
  const clock = createTestClock(emulator.now());
  /** How many times `setAll` was called, by every server client made with {@link serverFor}. */
  let setAllCalls = 0;

  /** A server client over `request`'s cookies, whose `Set-Cookie`s go to `headers`. */
  function serverFor(request: Request, headers: Headers, extra: Partial<ServerClientOptions> = {}) {
    const cookies = requestCookies(request, headers);
    return createServerClient(config, {
      secret,
      platform: { clock },
      cookieOptions: { secure: false },
      ...extra,
      cookies: {
        getAll: cookies.getAll,
        setAll(list) {
          setAllCalls++;
          cookies.setAll(list);
        },
      },
    });
  }

  return {
    emulator,
    config,
    clock,
    serverFor,
    setAllCalls: () => setAllCalls,
    refreshCalls: () => emulator.callCount("GetTokensFromRefreshToken"),
    async advance(ms: number) {
      emulator.advanceTime(ms);
      await clock.advance(ms);
    },
    /** Signs up and confirms a new user (with `attributes`); returns the username. */
    async newUser(attributes: Record<string, string> = {}): Promise<string> {
      const username = `server${++counter}.${Date.now()}@example.com`;
      const client = createAuthClient(config, { platform: { storage: createMemoryStorage() } });
      await client.signUp({ username, password, attributes: { email: username, ...attributes } });
      await client.confirmSignUp({ username, code: emulator.outbox.latest(username)!.code });
      client.dispose();
      return username;
    },
    stop: () => emulator.stop(),
  };
}
export type ServerHarness = Awaited<ReturnType<typeof startServerHarness>>;

/** A request of the browser holding `jar`. */
export function requestWith(jar: BrowserJar, path: string, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (jar.cookies.size > 0) headers.set("cookie", jar.header());
  return new Request(`${origin}${path}`, { ...init, headers });
}

/**
 * The app's handlers, written as a framework's would be: `POST /sign-in` (a form post that
 * redirects), `POST /sign-in/step` (answers a step), `POST /sign-out`, and `GET /account`
 * (the session's user, or a redirect to the sign-in page).
 */
export function appFor(harness: ServerHarness, extra: Partial<ServerClientOptions> = {}) {
  return async (request: Request): Promise<Response> => {
    const headers = new Headers();
    const server = harness.serverFor(request, headers, extra);
    const redirect = (location: string) => {
      headers.set("location", location);
      return new Response(null, { status: 303, headers });
    };
    const { pathname } = new URL(request.url);
    if (pathname === "/sign-in") {
      const form = await request.formData();
      const { nextStep } = await server.signIn({ username: String(form.get("username")), password: String(form.get("password")) });
      return redirect(nextStep.type === "done" ? "/account" : `/sign-in/step?type=${nextStep.type}`);
    }
    if (pathname === "/sign-in/step") {
      const form = await request.formData();
      const { nextStep } = await server.confirmSignIn({ challengeResponse: String(form.get("answer")) });
      return redirect(nextStep.type === "done" ? "/account" : `/sign-in/step?type=${nextStep.type}`);
    }
    if (pathname === "/sign-out") {
      await server.signOut();
      return redirect("/sign-in");
    }
    const session = await server.getSession();
    if (!session) return redirect("/sign-in");
    return new Response(JSON.stringify({ username: session.user.attributes.email, accessToken: session.tokens.accessToken.jwt }), { headers });
  };
}

/** A form post of `fields` by the browser holding `jar`. */
export function formPost(jar: BrowserJar, path: string, fields: Record<string, string>): Request {
  return requestWith(jar, path, { method: "POST", body: new URLSearchParams(fields) });
}

/** Signs `username` in through the app's form and keeps the cookies; returns the jar. */
export async function signedInJar(app: (request: Request) => Promise<Response>, username: string): Promise<BrowserJar> {
  const jar = createBrowserJar();
  const response = await app(formPost(jar, "/sign-in", { username, password }));
  jar.apply(response);
  if (response.headers.get("location") !== "/account") throw new Error(`sign-in went to ${response.headers.get("location")}`);
  return jar;
}

/** The session record a jar holds (chunks joined and decoded), parsed. */
export function recordIn(jar: BrowserJar, clientId: string): Record<string, unknown> | null {
  const name = `cogkit.${clientId}.session`;
  const count = Number(jar.cookies.get(name));
  if (!count) return null;
  let encoded = "";
  for (let index = 0; index < count; index++) encoded += jar.cookies.get(`${name}.${index}`) ?? "";
  return JSON.parse(decodeURIComponent(encoded));
}

/** A jar whose session cookies hold `record` as it is (for tampering). */
export function jarWithRecord(clientId: string, record: unknown): BrowserJar {
  const name = `cogkit.${clientId}.session`;
  return createBrowserJar({ [name]: "1", [`${name}.0`]: encodeURIComponent(JSON.stringify(record)) });
}
