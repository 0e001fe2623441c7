/**
 * The session on servers, over a request's cookies: `createServerClient`, `requestCookies`, `handleRefresh`, `verifyCognitoToken`.
 *
 * @module @cogkit/core/server
 */
export * from "../../packages/core/src/server.js";
