import type { EmulatorState } from "./emulator-state.js";
import { jsonResponse } from "./http/json-response.js";
import { openIdConfiguration } from "./oauth/openid-configuration.js";

/**
 * Serves `/<poolId>/.well-known/jwks.json` and `openid-configuration` (also at the domain
 * root, as Cognito's domains do), consistent with the tokens' `iss` so any JWT verifier
 * and OIDC client can find the keys and endpoints, and `/.well-known/jwks_uri`
 * with the key of GetOpenIdToken's tokens (where cognito-identity.amazonaws.com serves
 * its own). Undefined for other paths.
 */
export async function handleWellKnownRequest(state: EmulatorState, request: Request, path: string): Promise<Response | undefined> {
  if (request.method !== "GET") return undefined;
  if (path === "/.well-known/jwks_uri" && state.identityPool) return jsonResponse({ keys: [(await state.openIdKey()).publicJwk] });
  const prefix = `/${state.pool.id}/.well-known/`;
  if (path === `${prefix}jwks.json`) return jsonResponse(state.keys.jwks());
  if (path === `${prefix}openid-configuration` || path === "/.well-known/openid-configuration") return jsonResponse(openIdConfiguration(state));
  return undefined;
}
