import { setTimeout as sleep } from "node:timers/promises";
import { handleControlRequest } from "./control/control-routes.js";
import type { EmulatorState } from "./emulator-state.js";
import { jsonResponse, serviceErrorResponse, serviceResponse } from "./http/json-response.js";
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

  const operation = services.find((s) => s.targetPrefix === prefix)?.operations[name];
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

/**
 * The heart of the emulator as a Fetch-API handler (`Request → Promise<Response>`): the
 * JSON 1.1 services on `POST /` by `X-Amz-Target` prefix (the User Pool, and the Identity
 * Pool unless turned off), STS `GetCallerIdentity` on the Query protocol (no target, a form
 * body), the JWKS and OpenID configuration, the OAuth 2.0 endpoints and hosted-UI pages of
 * the pool's domain, the `/_emulator/*` control API, CORS. A
 * node:http server or msw can wrap it.
 *
 * @example
 * const handle = createEmulatorHandler(state);
 * const response = await handle(new Request(`${state.url}/${state.pool.id}/.well-known/jwks.json`));
 */
export function createEmulatorHandler(
  state: EmulatorState,
  services: readonly EmulatedService[] = state.identityPool ? [userPoolService, identityPoolService] : [userPoolService],
): EmulatorHandler {
  return async (request) => {
    if (request.method === "OPTIONS") return withCors(request, new Response(null, { status: 204 }));
    const url = new URL(request.url);
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
    return withCors(request, response ?? jsonResponse({ message: `Not found: ${request.method} ${url.pathname}` }, 404));
  };
}
