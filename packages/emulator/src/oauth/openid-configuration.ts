import type { EmulatorState } from "../emulator-state.js";
import { standardScopes } from "./oauth-settings.js";

/**
 * The user pool's OpenID Provider metadata: served at `<issuer>/.well-known/openid-configuration`
 * (where OIDC discovery looks, the issuer being `<url>/<poolId>`) and at the domain root.
 */
export function openIdConfiguration(state: EmulatorState): Record<string, unknown> {
  const { url, issuerUrl } = state;
  return {
    issuer: issuerUrl,
    authorization_endpoint: `${url}/oauth2/authorize`,
    token_endpoint: `${url}/oauth2/token`,
    userinfo_endpoint: `${url}/oauth2/userInfo`,
    end_session_endpoint: `${url}/logout`,
    revocation_endpoint: `${url}/oauth2/revoke`,
    jwks_uri: `${issuerUrl}/.well-known/jwks.json`,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token", ...(state.oauth.machineClient ? ["client_credentials"] : [])],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: [...standardScopes, ...(state.oauth.machineClient?.scopes ?? [])],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    code_challenge_methods_supported: ["S256"],
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "nonce",
      "auth_time",
      "at_hash",
      "email",
      "email_verified",
      "phone_number",
      "phone_number_verified",
      "name",
      "cognito:username",
      "cognito:groups",
      "identities",
    ],
  };
}
