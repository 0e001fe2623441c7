import type { Fault } from "./fault-injector.js";
import type { EmulatorState } from "../emulator-state.js";
import { jsonResponse } from "../http/json-response.js";
import { CognitoError } from "../protocol/cognito-error.js";
import { addUserToGroup } from "../user-pool/admin-add-user-to-group.js";
import { buildClientConfig } from "./build-client-config.js";
import { deleteIdentity, disableIdentity, listIdentities } from "../identity-pool/identity-controls.js";
import type { MintTokenInput } from "../identity-pool/fake-identity-providers.js";

/** A control request refused with a status other than 400. */
class ControlRefusal extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Only `application/json` is read: a page on another site can send `text/plain`, form or
 * untyped bodies without a CORS preflight, never JSON.
 */
function requireJsonOrNoBody(request: Request, bodyRequired: boolean): void {
  const type = request.headers.get("content-type");
  const mediaType = type?.split(";")[0]!.trim().toLowerCase();
  if (mediaType === "application/json") return;
  if (type === null && !bodyRequired) return;
  throw new ControlRefusal("the control API takes only application/json bodies", 415);
}

async function readJson(request: Request): Promise<Record<string, unknown>> {
  requireJsonOrNoBody(request, true);
  try {
    const body: unknown = await request.json();
    if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new TypeError("the body must be a JSON object");
}

/**
 * The test-control API under `/_emulator/*`, for browser tests and other processes:
 * `GET outbox[?username=]`, `GET outbox/latest?username=`, `GET|POST time {advanceMs}`,
 * `POST|DELETE faults`, `GET calls[?operation=]`, `GET config`, `POST groups {username, group}`,
 * `GET identities`, `DELETE identities/<id>`, `POST identities/<id>/disable`,
 * `POST providers/<google|apple|facebook|amazon|oidc>/tokens {sub, aud?, email?, expiresInSeconds?}`.
 * POST bodies must be `application/json` (415 otherwise). Undefined for paths it does not own.
 */
export async function handleControlRequest(state: EmulatorState, request: Request, url: URL): Promise<Response | undefined> {
  const route = `${request.method} ${url.pathname.replace(/\/+$/, "")}`;
  const identityRoute = /^(DELETE|POST) \/_emulator\/identities\/([^/]+)(\/disable)?$/.exec(route);
  const providerRoute = /^POST \/_emulator\/providers\/([a-z]+)\/tokens$/.exec(route);
  const username = url.searchParams.get("username") ?? undefined;
  try {
    if (identityRoute) {
      const [, method, id, disable] = identityRoute;
      if (method === "DELETE" && !disable) deleteIdentity(state, decodeURIComponent(id!));
      else if (method === "POST" && disable) {
        requireJsonOrNoBody(request, false);
        disableIdentity(state, decodeURIComponent(id!));
      }
      else return jsonResponse({ message: `no control route ${route}` }, 404);
      return new Response(null, { status: 204 });
    }
    if (providerRoute) {
      const provider = Object.hasOwn(state.providers, providerRoute[1]!) ? state.providers[providerRoute[1] as keyof typeof state.providers] : undefined;
      if (!provider) return jsonResponse({ message: `no provider ${providerRoute[1]}` }, 404);
      const body = await readJson(request);
      if (typeof body.sub !== "string") throw new TypeError("sub must be a string");
      return jsonResponse({ loginKey: provider.loginKey, token: await provider.mintToken(body as unknown as MintTokenInput) });
    }
    switch (route) {
      case "GET /_emulator/outbox":
        return jsonResponse({ messages: state.outbox.all(username) });
      case "GET /_emulator/outbox/latest": {
        if (!username) throw new TypeError("the username query parameter is required");
        const message = state.outbox.latest(username);
        return message ? jsonResponse(message) : jsonResponse({ message: `no message for ${username}` }, 404);
      }
      case "GET /_emulator/time":
        return jsonResponse({ now: state.clock.now() });
      case "POST /_emulator/time": {
        const { advanceMs } = await readJson(request);
        if (typeof advanceMs !== "number") throw new TypeError("advanceMs must be a number of milliseconds");
        return jsonResponse({ now: state.clock.advance(advanceMs) });
      }
      case "POST /_emulator/faults": {
        const { operation, ...fault } = await readJson(request);
        state.faults.inject(operation as string, fault as Fault);
        return new Response(null, { status: 204 });
      }
      case "DELETE /_emulator/faults":
        state.faults.clear();
        return new Response(null, { status: 204 });
      case "GET /_emulator/calls": {
        const operation = url.searchParams.get("operation");
        return jsonResponse(operation ? { operation, count: state.calls.count(operation) } : { calls: state.calls.all() });
      }
      case "GET /_emulator/config":
        return jsonResponse(buildClientConfig(state));
      case "POST /_emulator/groups": {
        const body = await readJson(request);
        if (typeof body.username !== "string" || typeof body.group !== "string") throw new TypeError("username and group must be strings");
        addUserToGroup(state, body.username, body.group);
        return new Response(null, { status: 204 });
      }
      case "GET /_emulator/identities":
        return jsonResponse({ identities: listIdentities(state) });
      default:
        return url.pathname.startsWith("/_emulator/") ? jsonResponse({ message: `no control route ${route}` }, 404) : undefined;
    }
  } catch (error) {
    if (error instanceof ControlRefusal) return jsonResponse({ message: error.message }, error.status);
    if (error instanceof TypeError || error instanceof CognitoError) return jsonResponse({ message: error.message }, 400);
    throw error;
  }
}
