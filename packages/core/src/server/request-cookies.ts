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

/** The cookies of a `Cookie` request header, values as sent. */
export function parseCookieHeader(header: string): RequestCookie[] {
  const cookies: RequestCookie[] = [];
  for (const pair of header.split(";")) {
    const at = pair.indexOf("=");
    if (at > 0) cookies.push({ name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() });
  }
  return cookies;
}

/** One `Set-Cookie` header value. Names and values of cogkit's cookies hold only cookie-safe characters. */
export function serializeCookie({ name, value, options }: CookieToSet): string {
  const { path, domain, maxAge, httpOnly, secure, sameSite } = options;
  return [
    `${name}=${value}`,
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
