import type { AuthConfig, UserAttributeSchema } from "../config.js";
import { createServerClient, type ServerClientOptions } from "./create-server-client.js";
import { requestCookies } from "./request-cookies.js";

/**
 * The route that refreshes a session whose refresh token page JavaScript cannot read
 * (`cookieMode: "httpOnly"`): a same-origin `POST` answers `200 { status: "signedIn",
 * user, expiresAt }` with the renewed cookies, or `401 { status: "signedOut" }`. Other methods
 * get 405, other origins 403.
 *
 * @example
 * // app/api/auth/refresh/route.ts (Next.js)
 * export const POST = (request: Request) => handleRefresh(request, config, { cookieMode: "httpOnly" });
 */
export async function handleRefresh<S extends UserAttributeSchema = UserAttributeSchema>(
  request: Request,
  config: AuthConfig<S>,
  options: Omit<ServerClientOptions, "cookies" | "readOnly"> = {},
): Promise<Response> {
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers });
  if (request.method !== "POST") {
    headers.set("allow", "POST");
    return answer(405, { error: "method not allowed" });
  }
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== new URL(request.url).origin) return answer(403, { error: "cross-origin request" });
  const server = createServerClient(config, { ...options, cookies: requestCookies(request, headers) });
  const session = await server.getSession();
  return session
    ? answer(200, { status: "signedIn", user: session.user, expiresAt: session.tokens.expiresAt })
    : answer(401, { status: "signedOut" });
}
