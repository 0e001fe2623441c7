import { setTimeout as sleep } from "node:timers/promises";
import { handleControlRequest } from "./control/control-routes.js";
import type { EmulatorState } from "./emulator-state.js";
import { jsonResponse, serviceErrorResponse, serviceResponse } from "./http/json-response.js";
import { createOriginCheck } from "./http/origin-check.js";
import { withCors } from "./http/with-cors.js";
import { createUuid } from "./ids.js";
import { CognitoError } from "./protocol/cognito-error.js";
import { identityPoolService } from "./identity-pool/identity-pool-service.js";
import { handleStsRequest, isStsRequest } from "./sts/sts-service.js";
import { userPoolService, type EmulatedService } from "./user-pool/user-pool-service.js";
import { handleWellKnownRequest } from "./well-known-routes.js";
import { handleOAuthRequest } from "./oauth/oauth-routes.js";

/**
 * A Fetch-API request handler: the emulator without any server around it.
 *
 * @example
 * const response = await emulator.handle(new Request(`${emulator.url}/_emulator/calls`));
 */
export type EmulatorHandler = (request: Request) => Promise<Response>;

const internalError = { type: "InternalErrorException", message: "An internal error occurred.", status: 500 };

async function callService(state: EmulatorState, services: readonly EmulatedService[], request: Request): Promise<Response> {
  const requestId = createUuid();
  const target = request.headers.get("x-amz-target") ?? "";
  const dot = target.lastIndexOf(".");
  const prefix = target.slice(0, dot);
  const name = target.slice(dot + 1);
  state.calls.record(name);

  const fault = state.faults.take(name);
  if (fault && fault.delayMs > 0) await sleep(fault.delayMs);
  if (fault?.error) return serviceErrorResponse(fault.error, requestId);

  // Own keys only: `constructor` or `toString` must not reach Object.prototype.
  const operations = services.find((s) => s.targetPrefix === prefix)?.operations;
  const operation = operations && Object.hasOwn(operations, name) ? operations[name] : undefined;
  if (dot < 0 || !operation) {
    return serviceErrorResponse({ type: "UnknownOperationException", message: `Unknown operation ${target}`, status: 400 }, requestId);
  }
  if (!(request.headers.get("content-type") ?? "").includes("json")) {
    return serviceErrorResponse({ type: "SerializationException", message: "Content-Type must be application/x-amz-json-1.1", status: 400 }, requestId);
  }
  let input: unknown;
  try {
    const text = await request.text();
    input = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return serviceErrorResponse({ type: "SerializationException", message: "The request body is not valid JSON", status: 400 }, requestId);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return serviceErrorResponse({ type: "SerializationException", message: "The request body must be a JSON object", status: 400 }, requestId);
  }
  try {
    return serviceResponse(await operation(input as Record<string, unknown>, state), requestId);
  } catch (error) {
    if (error instanceof CognitoError) return serviceErrorResponse(error, requestId);
    return serviceErrorResponse(internalError, requestId);
  }
}

// Paths a browser app calls across origins: the JSON services and STS on `/`, the OAuth
// endpoints a single-page app fetches, the keys and OpenID configuration, and the control
// API the example app reads its codes from. The hosted UI's pages are navigated to, never
// fetched, so they get no CORS.
const browserApiPaths = new Set(["/", "/oauth2/token", "/oauth2/userInfo", "/oauth2/revoke"]);
const isBrowserApi = (path: string) => browserApiPaths.has(path) || path.includes("/.well-known/") || path.startsWith("/_emulator/");

/**
 * Options of the handler beyond the state.
 *
 * @example
 * createEmulatorHandler(state, undefined, { allowedOrigins: ["https://app.example.com"] });
 */
export interface EmulatorHandlerOptions {
  /** Origins given CORS and the control routes; left out, any http(s) origin on a loopback host. */
  allowedOrigins?: readonly string[] | undefined;
}

/**
 * The heart of the emulator as a Fetch-API handler (`Request → Promise<Response>`): the
 * JSON 1.1 services on `POST /` by `X-Amz-Target` prefix (the User Pool, and the Identity
 * Pool unless turned off), STS `GetCallerIdentity` on the Query protocol (no target, a form
 * body), the JWKS and OpenID configuration, the OAuth 2.0 endpoints and hosted-UI pages of
 * the pool's domain, the `/_emulator/*` control API, CORS for allowed origins on the paths
 * browsers call. The control API refuses other origins, so a page the developer happens
 * to visit cannot read codes or move time. A node:http server or msw can wrap it.
 *
 * @example
 * const handle = createEmulatorHandler(state);
 * const response = await handle(new Request(`${state.url}/${state.pool.id}/.well-known/jwks.json`));
 */
export function createEmulatorHandler(
  state: EmulatorState,
  services: readonly EmulatedService[] = state.identityPool ? [userPoolService, identityPoolService] : [userPoolService],
  options: EmulatorHandlerOptions = {},
): EmulatorHandler {
  const isAllowedOrigin = createOriginCheck({ allowedOrigins: options.allowedOrigins, ownUrl: state.url });
  return async (request) => {
    const url = new URL(request.url);
    const origin = request.headers.get("origin");
    const cors = origin !== null && isBrowserApi(url.pathname) && isAllowedOrigin(origin);
    const finish = (response: Response) => (cors ? withCors(request, response) : response);
    if (request.method === "OPTIONS") {
      return cors ? withCors(request, new Response(null, { status: 204 })) : jsonResponse({ message: "CORS is not offered to this origin on this path" }, 403);
    }
    if (url.pathname.startsWith("/_emulator/") && isCrossSite(request, isAllowedOrigin)) {
      return jsonResponse({ message: "The control API refuses requests from other sites; see allowedOrigins" }, 403);
    }
    let response: Response | undefined;
    try {
      response =
        (await handleControlRequest(state, request, url)) ??
        (await handleWellKnownRequest(state, request, url.pathname)) ??
        (await handleOAuthRequest(state, request, url)) ??
        (request.method === "POST" && url.pathname === "/"
          ? isStsRequest(request)
            ? await handleStsRequest(state, request)
            : await callService(state, services, request)
          : undefined);
    } catch {
      response = serviceErrorResponse(internalError);
    }
    return finish(response ?? jsonResponse({ message: `Not found: ${request.method} ${url.pathname}` }, 404));
  };
}

/**
 * A request from a page on another site: an Origin that is not allowed, or none with the
 * browser's own `Sec-Fetch-Site: cross-site` (sent where no Origin is, e.g. an `<img>`).
 */
function isCrossSite(request: Request, isAllowedOrigin: (origin: string) => boolean): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) return !isAllowedOrigin(origin);
  return request.headers.get("sec-fetch-site") === "cross-site";
}
