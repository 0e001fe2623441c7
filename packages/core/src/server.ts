/**
 * `@cogkit/core/server`: the session on servers, over a request's cookies, for any framework
 * on Node or an edge runtime (Web APIs only). An entry of its own, so browser bundles never
 * ship it.
 *
 * @example
 * import { createServerClient, requestCookies } from "@cogkit/core/server";
 * export async function handle(request: Request): Promise<Response> {
 *   const headers = new Headers();
 *   const server = createServerClient(config, { cookies: requestCookies(request, headers) });
 *   const session = await server.getSession();
 *   return new Response(session ? `Hello ${session.user.username}` : "Signed out", { headers });
 * }
 *
 * @module
 */
export { createServerClient } from "./server/create-server-client.js";
export type { ServerClient, ServerClientOptions, ServerSession } from "./server/create-server-client.js";
export type { CookieMode, CookieOptions, CookieToSet, RequestCookie, ServerCookieOptions, ServerCookies } from "./server/server-cookies.js";
export { requestCookies } from "./server/request-cookies.js";
export { handleRefresh } from "./server/handle-refresh.js";
export { issuerOf, verifyCognitoToken } from "./server/verify-cognito-token.js";
export type { VerifyCognitoTokenOptions } from "./server/verify-cognito-token.js";
