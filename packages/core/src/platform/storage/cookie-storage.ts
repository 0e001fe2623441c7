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
  /** `Domain` attribute, to share the session with subdomains; host-only when absent. */
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

/**
 * A {@link KeyValueStorage} in cookies, so a server (SSR) can read the session too. A value
 * longer than one cookie holds is split across `<key>.0`, `<key>.1`, … each under 4 KB,
 * with the chunk count under `<key>` itself; a shorter write removes the chunks it no
 * longer needs. Names and values are URI-encoded.
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
    return Number.isInteger(count) && count > 0 ? count : 0;
  };

  return {
    shared: true,
    getItem(key) {
      const name = encodeURIComponent(key);
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
      const name = encodeURIComponent(key);
      const previous = chunkCount(readAll(), name);
      const chunks = split(encodeURIComponent(String(value)), maxCookieBytes - name.length - 8);
      chunks.forEach((chunk, index) => write(`${name}.${index}`, chunk));
      // The count goes last: a reader never sees a count that promises chunks not yet written.
      write(name, String(chunks.length));
      for (let index = chunks.length; index < previous; index++) erase(`${name}.${index}`);
    },
    removeItem(key) {
      const name = encodeURIComponent(key);
      const count = chunkCount(readAll(), name);
      erase(name);
      for (let index = 0; index < count; index++) erase(`${name}.${index}`);
    },
  };
}

/** Splits URI-encoded text into pieces of at most `size` characters, never inside a `%XX`. */
function split(encoded: string, size: number): string[] {
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
