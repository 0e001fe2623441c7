import type { EmulatorState } from "./emulator-state.js";
import { jsonResponse } from "./http/json-response.js";

/**
 * Serves `/<poolId>/.well-known/jwks.json` and `openid-configuration`, consistent with
 * the tokens' `iss` so any JWT verifier can fetch the keys, and `/.well-known/jwks_uri`
 * with the key of GetOpenIdToken's tokens (where cognito-identity.amazonaws.com serves
 * its own). Undefined for other paths.
 */
export async function handleWellKnownRequest(state: EmulatorState, request: Request, path: string): Promise<Response | undefined> {
  if (request.method !== "GET") return undefined;
  if (path === "/.well-known/jwks_uri" && state.identityPool) return jsonResponse({ keys: [(await state.openIdKey()).publicJwk] });
  const prefix = `/${state.pool.id}/.well-known/`;
  if (path === `${prefix}jwks.json`) return jsonResponse(state.keys.jwks());
  if (path === `${prefix}openid-configuration`) {
    return jsonResponse({
      issuer: state.issuerUrl,
      jwks_uri: `${state.issuerUrl}/.well-known/jwks.json`,
      response_types_supported: ["code", "token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "email", "phone", "profile"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      claims_supported: ["sub", "email", "email_verified", "phone_number", "phone_number_verified", "cognito:username", "cognito:groups"],
    });
  }
  return undefined;
}
