import type { KeyValueStorage } from "../types.js";

/**
 * The part of `document` cookie storage uses.
 *
 * @example
 * createCookieStorage({ document: { cookie: "" } }); // a document of your own, e.g. in tests
 */
export interface CookieDocumentLike {
  cookie: string;
}

/**
 * Options of {@link createCookieStorage}.
 *
 * @example
 * createCookieStorage({ domain: "example.com", sameSite: "strict", expiresDays: 30 });
 */
export interface CookieStorageOptions {
  /**
   * `Domain` attribute, to share the session with subdomains. When absent the cookies are
   * host-only and, where they are also `Secure` with `Path=/`, named with the `__Host-`
   * prefix, so that no subdomain can set or overwrite them.
   */
  domain?: string;
  /** `Path` attribute; default `/`. */
  path?: string;
  /** `Secure` attribute; default `true` (set `false` only for plain-http development). */
  secure?: boolean;
  /** `SameSite` attribute; default `lax`. `none` requires `secure`. */
  sameSite?: "strict" | "lax" | "none";
  /** Lifetime in days (`Max-Age`); default 365. */
  expiresDays?: number;
  /** The document whose cookies to use; `globalThis.document`, read at each call, by default. */
  document?: CookieDocumentLike;
}

// Browsers keep at most 4096 bytes of name + value per cookie; stay well below it.
const maxCookieBytes = 4000;
// A session record needs two or three; a count beyond this was planted or is corrupt, and
// trusting it would make a write erase millions of chunks.
const maxChunks = 16;
const domainPattern = /^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;
// A cookie path: no separator (`;`), no comma, white space or control character.
const pathPattern = /^\/[!-+\--:<-~]*$/;

/**
 * A {@link KeyValueStorage} in cookies, so a server (SSR) can read the session too. A value
 * longer than one cookie holds is split across `<key>.0`, `<key>.1`, … each under 4 KB,
 * with the chunk count under `<key>` itself (at most 16 chunks: a larger count reads as no
 * value); a shorter write removes the chunks it no longer needs. Names and values are
 * URI-encoded. Host-only secure cookies at `/` take the `__Host-` prefix.
 *
 * @example
 * const storage = createCookieStorage({ domain: "example.com", sameSite: "strict" });
 */
export function createCookieStorage(options: CookieStorageOptions = {}): KeyValueStorage {
  const { domain, path = "/", secure = true, sameSite = "lax", expiresDays = 365 } = options;
  if (sameSite !== "strict" && sameSite !== "lax" && sameSite !== "none") {
    throw new TypeError('sameSite must be "strict", "lax" or "none"');
  }
  if (sameSite === "none" && !secure) throw new TypeError('sameSite "none" requires secure cookies');
  if (!Number.isFinite(expiresDays) || expiresDays <= 0) throw new TypeError("expiresDays must be a positive number");
  // Both go into the cookie string as they are: a `;` in them would add attributes of its own.
  if (domain !== undefined && !domainPattern.test(domain)) throw new TypeError("domain must be a host name, such as example.com");
  if (!pathPattern.test(path)) throw new TypeError("path must start with / and hold no ';', ',', white space or control character");
  // Browsers take a __Host- cookie only when it is Secure, has Path=/ and no Domain.
  const prefix = domain === undefined && secure && path === "/" ? "__Host-" : "";
  const cookieName = (key: string) => prefix + encodeURIComponent(key);

  const doc = (): CookieDocumentLike => {
    const found = options.document ?? (globalThis as { document?: CookieDocumentLike }).document;
    if (found === undefined || found === null) throw new TypeError("Cookie storage needs a document");
    return found;
  };
  const attributes = (maxAge: number) =>
    [
      `Path=${path}`,
      domain === undefined ? undefined : `Domain=${domain}`,
      `Max-Age=${maxAge}`,
      secure ? "Secure" : undefined,
      `SameSite=${sameSite[0]!.toUpperCase()}${sameSite.slice(1)}`,
    ]
      .filter((part) => part !== undefined)
      .join("; ");
  const write = (name: string, value: string) => {
    doc().cookie = `${name}=${value}; ${attributes(Math.round(expiresDays * 86_400))}`;
  };
  const erase = (name: string) => {
    doc().cookie = `${name}=; ${attributes(0)}`;
  };
  const readAll = (): Map<string, string> => {
    const jar = new Map<string, string>();
    for (const pair of doc().cookie.split(";")) {
      const at = pair.indexOf("=");
      if (at < 0) continue;
      const name = pair.slice(0, at).trim();
      // The first cookie of a name wins, as browsers list the most specific path first.
      if (!jar.has(name)) jar.set(name, pair.slice(at + 1).trim());
    }
    return jar;
  };
  const chunkCount = (jar: Map<string, string>, name: string): number => {
    const count = Number(jar.get(name));
    return Number.isInteger(count) && count > 0 && count <= maxChunks ? count : 0;
  };

  return {
    shared: true,
    getItem(key) {
      const name = cookieName(key);
      const jar = readAll();
      const count = chunkCount(jar, name);
      if (count === 0) return null;
      let encoded = "";
      for (let index = 0; index < count; index++) {
        const chunk = jar.get(`${name}.${index}`);
        if (chunk === undefined) return null; // a chunk went missing: no value rather than half of one
        encoded += chunk;
      }
      try {
        return decodeURIComponent(encoded);
      } catch {
        return null;
      }
    },
    setItem(key, value) {
      const name = cookieName(key);
      const previous = chunkCount(readAll(), name);
      const chunks = split(encodeURIComponent(String(value)), maxCookieBytes - name.length - 8);
      // Refused before anything is written: the stored value stays whole.
      if (chunks.length > maxChunks) throw new TypeError(`cookie storage: the value of ${key} would need more than ${maxChunks} cookies`);
      chunks.forEach((chunk, index) => write(`${name}.${index}`, chunk));
      // The count goes last: a reader never sees a count that promises chunks not yet written.
      write(name, String(chunks.length));
      for (let index = chunks.length; index < previous; index++) erase(`${name}.${index}`);
    },
    removeItem(key) {
      const name = cookieName(key);
      const count = chunkCount(readAll(), name);
      erase(name);
      for (let index = 0; index < count; index++) erase(`${name}.${index}`);
    },
  };
}

/** Splits URI-encoded text into pieces of at most `size` characters, never inside a `%XX`. */
export function split(encoded: string, size: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < encoded.length) {
    let end = Math.min(start + size, encoded.length);
    const escape = encoded.lastIndexOf("%", end - 1);
    if (escape > start && escape > end - 3 && end < encoded.length) end = escape;
    chunks.push(encoded.slice(start, end));
    start = end;
  }
  return chunks.length > 0 ? chunks : [""];
}
