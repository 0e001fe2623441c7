import type { CookieToSet, RequestCookie, ServerCookies } from "./server-cookies.js";

/**
 * {@link ServerCookies} over a plain `Request` and the `Headers` of the response to come:
 * for frameworks that hand over Web `Request`s (Hono, Remix, SvelteKit endpoints, a
 * `fetch` handler). `setAll` appends one `Set-Cookie` per cookie to `headers`, so a redirect
 * made with those headers keeps them.
 *
 * @example
 * const headers = new Headers();
 * const server = createServerClient(config, { cookies: requestCookies(request, headers) });
 * const session = await server.getSession();
 * headers.set("location", session ? "/account" : "/sign-in");
 * return new Response(null, { status: 303, headers });
 */
export function requestCookies(request: Request, headers: Headers): Required<ServerCookies> {
  return {
    getAll: () => parseCookieHeader(request.headers.get("cookie") ?? ""),
    setAll(cookies) {
      for (const cookie of cookies) headers.append("set-cookie", serializeCookie(cookie));
    },
  };
}

/** The cookies of a `Cookie` request header, values URI-decoded (as sent when not decodable). */
export function parseCookieHeader(header: string): RequestCookie[] {
  const cookies: RequestCookie[] = [];
  for (const pair of header.split(";")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const value = pair.slice(at + 1).trim();
    let decoded = value;
    try {
      decoded = decodeURIComponent(value);
    } catch {}
    cookies.push({ name: pair.slice(0, at).trim(), value: decoded });
  }
  return cookies;
}

/** One `Set-Cookie` header value, the value URI-encoded (cogkit's cookie names need no encoding). */
export function serializeCookie({ name, value, options }: CookieToSet): string {
  const { path, domain, maxAge, httpOnly, secure, sameSite } = options;
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${path}`,
    domain === undefined ? undefined : `Domain=${domain}`,
    `Max-Age=${maxAge}`,
    httpOnly ? "HttpOnly" : undefined,
    secure ? "Secure" : undefined,
    `SameSite=${sameSite[0]!.toUpperCase()}${sameSite.slice(1)}`,
  ]
    .filter((part) => part !== undefined)
    .join("; ");
}
