const loopbackNames = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Whether a host name (no port) is one of the loopback names the emulator trusts: a
 * browser only reaches these on the developer's own machine, and no DNS answer can point
 * them elsewhere.
 *
 * @example
 * isLoopbackName("localhost"); // true
 * isLoopbackName("localhost.evil.example"); // false
 */
export function isLoopbackName(hostname: string): boolean {
  return loopbackNames.has(hostname.toLowerCase());
}

/** The serialized origin of a string, or undefined when it is not an http(s) origin (`null`, `file://`...). */
function originOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** An origin as configured: scheme, host and port only, since a path would suggest a check that is not made. */
function configuredOrigin(text: string): string | undefined {
  const origin = originOf(text);
  if (origin === undefined) return undefined;
  const url = new URL(text);
  return url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "" && url.password === "" ? origin : undefined;
}

/**
 * Decides which browser origins may call the emulator across origins (CORS, control
 * routes). Left out, `allowedOrigins` allows any http(s) origin on a loopback host on any
 * port, since dev servers pick their ports; given, exactly those origins. The emulator's
 * own origin (its hosted UI) is always allowed: that is same-origin, not cross-origin.
 * Throws a TypeError naming an entry that is not an origin.
 *
 * @example
 * const isAllowed = createOriginCheck({ ownUrl: "http://127.0.0.1:9229" });
 * isAllowed("http://localhost:5173"); // true
 * isAllowed("https://evil.example"); // false
 */
export function createOriginCheck(options: { allowedOrigins?: readonly string[] | undefined; ownUrl: string }): (origin: string) => boolean {
  const own = originOf(options.ownUrl);
  if (options.allowedOrigins === undefined) {
    return (origin) => {
      const parsed = originOf(origin);
      return parsed !== undefined && (parsed === own || isLoopbackName(new URL(parsed).hostname));
    };
  }
  if (!Array.isArray(options.allowedOrigins)) throw new TypeError("allowedOrigins must be an array of origins like http://localhost:5173");
  const allowed = new Set<string>();
  for (const entry of options.allowedOrigins as unknown[]) {
    const parsed = typeof entry === "string" ? configuredOrigin(entry) : undefined;
    if (parsed === undefined) {
      throw new TypeError(`allowedOrigins: ${String(entry)} is not an origin like https://app.example.com or http://localhost:5173`);
    }
    allowed.add(parsed);
  }
  if (own !== undefined) allowed.add(own);
  return (origin) => {
    const parsed = originOf(origin);
    return parsed !== undefined && allowed.has(parsed);
  };
}
