import { isRecord } from "../is-record.js";
import { split } from "../platform/storage/cookie-storage.js";
import { sessionRecordKey } from "../session/session-record.js";

/**
 * A cookie of the request (its value URI-decoded, or as sent: either reads), as frameworks list them (`cookies().getAll()` in Next.js,
 * `event.cookies.getAll()` in SvelteKit, or {@link requestCookies} for a plain `Request`).
 *
 * @example
 * const cookie: RequestCookie = { name: "theme", value: "dark" };
 */
export interface RequestCookie {
  name: string;
  value: string;
}

/**
 * The attributes of a cookie to set; the names and values frameworks' `cookies.set(name,
 * value, options)` take. `maxAge: 0` deletes the cookie.
 *
 * @example
 * const options: CookieOptions = { path: "/", httpOnly: true, secure: true, sameSite: "lax", maxAge: 0 };
 */
export interface CookieOptions {
  path: string;
  domain?: string;
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite: "strict" | "lax" | "none";
}

/**
 * One cookie for the response, as {@link ServerCookies.setAll} receives it. The value is
 * plain text, to be URI-encoded when serialised, as frameworks' `cookies.set` do.
 *
 * @example
 * const toSet: CookieToSet = { name: "cogkit.1example.session", value: "", options: { ...options, maxAge: 0 } };
 */
export interface CookieToSet {
  name: string;
  value: string;
  options: CookieOptions;
}

/**
 * What the server client needs of a framework: the request's cookies, and a way to set the
 * response's. `setAll` receives every changed cookie of a request in one call. Leave it out
 * (or pass `readOnly`) where cookies cannot be written, such as React Server Components.
 *
 * @example
 * const cookies: ServerCookies = {
 *   getAll: () => store.getAll(),
 *   setAll: (list) => list.forEach(({ name, value, options }) => store.set(name, value, options)),
 * };
 */
export interface ServerCookies {
  /** Every cookie the request carries. */
  getAll(): readonly RequestCookie[];
  /** Sets (or, with `maxAge: 0`, deletes) the response's cookies; called at most once per operation. */
  setAll?(cookies: CookieToSet[]): void;
}

/**
 * How the session lives in cookies. `"default"`: every token, readable by page JavaScript in
 * the format of `createCookieStorage`, so a browser client shares the session. `"httpOnly"`:
 * the refresh token in an `HttpOnly` cookie of its own, so no page script (nor an XSS) ever
 * reads it; refreshes then go through the server (see `handleRefresh`).
 */
export type CookieMode = "default" | "httpOnly";

/**
 * Cookie attributes and limits of the server client.
 *
 * @example
 * createServerClient(config, { cookies, cookieOptions: { secure: process.env.NODE_ENV === "production" } });
 */
export interface ServerCookieOptions {
  /** `Domain`, to share the session with subdomains; host-only by default. */
  domain?: string;
  /** Default `/`. */
  path?: string;
  /** Default `true`; `false` only for plain-http development. */
  secure?: boolean;
  /** Default `lax`. */
  sameSite?: "strict" | "lax" | "none";
  /** Lifetime of the session cookies in days; default 30 (Cognito's default refresh-token life). */
  maxAgeDays?: number;
}

/** Browsers keep 4096 bytes of name and value per cookie; stay below, as `createCookieStorage` does. */
export const maxCookieBytes = 4000;
/**
 * All session cookies together. nginx and Apache refuse a request header line over 8 KB by
 * default: the session leaves room for the app's own cookies below that.
 */
export const maxSessionBytes = 7_000;
const maxChunks = 16;
/** The tokens of a record rebuilt from a refresh cookie alone: expired, so the read refreshes. */
const placeholderToken = "-";

/** The resolved attributes and names of one client's cookies. */
export interface CookieLayout {
  /** Name of the session record's count cookie; its chunks are `<session>.0`, `<session>.1`, … */
  session: string;
  /** Name of the httpOnly refresh-token cookie. */
  refresh: string;
  /** Name of the encrypted sign-in state cookie. */
  signIn: string;
  base: Omit<CookieOptions, "httpOnly">;
  /** Whether a cookie name belongs to cogkit but to another app client (stale: removed on write). */
  isForeign(name: string): boolean;
}

/** Names and attributes of the cookies of `clientId`, named as `createCookieStorage` names them. */
export function cookieLayout(clientId: string, options: ServerCookieOptions = {}): CookieLayout {
  const { domain, path = "/", secure = true, sameSite = "lax", maxAgeDays = 30 } = options;
  if (sameSite !== "strict" && sameSite !== "lax" && sameSite !== "none") throw new TypeError('cookieOptions.sameSite must be "strict", "lax" or "none"');
  if (sameSite === "none" && !secure) throw new TypeError('cookieOptions.sameSite "none" requires secure cookies');
  if (!Number.isFinite(maxAgeDays) || maxAgeDays <= 0) throw new TypeError("cookieOptions.maxAgeDays must be a positive number");
  // Browsers take a __Host- cookie only when it is Secure, has Path=/ and no Domain.
  const prefix = domain === undefined && secure && path === "/" ? "__Host-" : "";
  const name = (key: string) => prefix + encodeURIComponent(key);
  const session = name(sessionRecordKey(clientId));
  const ours = new Set([session, name(`cogkit.${clientId}.refresh`), name(`cogkit.${clientId}.signin`)]);
  return {
    session,
    refresh: name(`cogkit.${clientId}.refresh`),
    signIn: name(`cogkit.${clientId}.signin`),
    base: { path, ...(domain === undefined ? {} : { domain }), secure, sameSite, maxAge: Math.round(maxAgeDays * 86_400) },
    isForeign(cookie) {
      const match = /^(?:__Host-)?cogkit\.[^.]+\.(?:session|refresh|signin)(?:\.\d+)?$/.exec(cookie);
      return match !== null && !ours.has(cookie.replace(/\.\d+$/, ""));
    },
  };
}

/** Request cookies by name; the first of a name wins, as browsers list the most specific path first. */
export function cookieJar(cookies: readonly RequestCookie[]): Map<string, string> {
  const jar = new Map<string, string>();
  for (const cookie of cookies) if (!jar.has(cookie.name)) jar.set(cookie.name, cookie.value);
  return jar;
}

/**
 * The session record the cookies hold (the refresh token of httpOnly mode put back into it),
 * or null. A missing chunk or an implausible count is no session rather than half of one.
 */
export function readSessionCookies(jar: Map<string, string>, layout: CookieLayout): string | null {
  const count = Number(jar.get(layout.session));
  if (!Number.isInteger(count) || count < 1 || count > maxChunks) {
    const refreshToken = jar.get(layout.refresh) && decodeCookie(jar.get(layout.refresh)!);
    // httpOnly mode: a browser client whose tokens expired removed the part it can see. The
    // refresh token it cannot see still holds the session: a record of expired placeholders
    // makes the next read refresh with it.
    if (!refreshToken) return null;
    return JSON.stringify({ v: 1, idToken: placeholderToken, accessToken: placeholderToken, refreshToken, expiresAt: 0, issuedAt: 0, clockDrift: 0, savedAt: 0 });
  }
  let record = "";
  for (let index = 0; index < count; index++) {
    const chunk = jar.get(`${layout.session}.${index}`);
    if (chunk === undefined) return null;
    // Frameworks that decode cookie values hand over decoded chunks; a record holds no `%`,
    // so decoding once more is harmless.
    const decoded = decodeCookie(chunk);
    if (decoded === undefined) return null;
    record += decoded;
  }
  const refresh = jar.get(layout.refresh);
  if (refresh === undefined) return record;
  try {
    const parsed = JSON.parse(record);
    const refreshToken = decodeCookie(refresh);
    if (!isRecord(parsed) || !refreshToken) return record;
    return JSON.stringify({ ...parsed, refreshToken });
  } catch {
    return record;
  }
}

/**
 * The cookies that make the response's jar hold `record` (null: no session), as changes to
 * the request's `jar`: only cookies whose value differs are set, chunks and other clients'
 * cookies no longer needed are deleted. Throws a `TypeError` when the session would not fit.
 */
export function sessionCookieChanges(record: string | null, jar: Map<string, string>, layout: CookieLayout, mode: CookieMode): CookieToSet[] {
  const wanted = new Map<string, { value: string; httpOnly: boolean }>();
  if (record !== null) {
    let readable = record;
    if (mode === "httpOnly") {
      const { refreshToken, ...rest } = JSON.parse(record) as { refreshToken?: string; idToken?: string };
      readable = JSON.stringify(rest);
      if (refreshToken !== undefined) wanted.set(layout.refresh, { value: refreshToken, httpOnly: true });
      // Still the placeholder (the refresh failed for now): only the refresh cookie stays.
      if (rest.idToken === placeholderToken) readable = "";
    }
    // Sized by their URI-encoded form, which is what travels, and handed over decoded:
    // frameworks URI-encode the values they set.
    const chunks = readable === "" ? [] : split(encodeURIComponent(readable), maxCookieBytes - layout.session.length - 4);
    chunks.forEach((value, index) => wanted.set(`${layout.session}.${index}`, { value: decodeURIComponent(value), httpOnly: false }));
    if (chunks.length > 0) wanted.set(layout.session, { value: String(chunks.length), httpOnly: false });
    let total = 0;
    for (const [name, { value }] of wanted) total += name.length + encodeURIComponent(value).length + 3;
    if (chunks.length > maxChunks || total > maxSessionBytes) {
      throw new TypeError(`createServerClient: the session would take ${total} bytes of cookies, over the limit of ${maxSessionBytes}; keep the id token smaller`);
    }
  }
  const changes: CookieToSet[] = [];
  for (const [name, { value, httpOnly }] of wanted) {
    const held = jar.get(name);
    if (held === undefined || decodeCookie(held) !== value) changes.push({ name, value, options: { ...layout.base, httpOnly } });
  }
  const isSession = (name: string) => name === layout.session || name === layout.refresh || name.startsWith(`${layout.session}.`);
  for (const name of jar.keys()) {
    if (!wanted.has(name) && (isSession(name) || layout.isForeign(name))) changes.push(deletion(name, layout));
  }
  return changes;
}

/** A cookie that deletes `name` (empty value, `Max-Age=0`). */
export function deletion(name: string, layout: CookieLayout): CookieToSet {
  return { name, value: "", options: { ...layout.base, httpOnly: name === layout.refresh || name === layout.signIn, maxAge: 0 } };
}

function decodeCookie(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
