import type { EmulatorState } from "../emulator-state.js";
import { authenticateClient, oauthJson, readForm, tokenError } from "./token-endpoint.js";

/**
 * `POST /oauth2/revoke` (form `token` = a refresh token, client authentication as at the
 * token endpoint): revokes the token's family, so its access tokens stop working too.
 * An unknown token is not an error (RFC 7009); one of another client is.
 */
export async function handleRevokeRequest(state: EmulatorState, request: Request): Promise<Response> {
  const form = await readForm(request);
  if (!form) return tokenError("invalid_request");
  const caller = authenticateClient(state, request, form);
  if (caller instanceof Response) return caller;
  const token = form.get("token");
  if (!token) return tokenError("invalid_request");
  if (caller.kind !== "app") return tokenError("unauthorized_client");
  const family = state.refreshTokens.familyOf(token);
  if (family) {
    if (family.clientId !== caller.id) return tokenError("unauthorized_client");
    family.revoked = true;
  } else if (token.split(".").length === 3) {
    return oauthJson({ error: "unsupported_token_type" }, 400);
  }
  return new Response(null, { status: 200, headers: { "cache-control": "no-store" } });
}
