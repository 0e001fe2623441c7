import type { EmulatorState } from "../emulator-state.js";
import { CognitoError } from "../protocol/cognito-error.js";
import { oauthJson } from "./token-endpoint.js";

const emailClaims = ["email", "email_verified"];
const phoneClaims = ["phone_number", "phone_number_verified"];

function unauthorized(error: "invalid_request" | "invalid_token", description: string): Response {
  // RFC 6750 §3: the challenge says why; Cognito answers 401 with it too.
  const challenge = error === "invalid_request" ? 'Bearer realm="cognito"' : `Bearer error="${error}", error_description="${description}"`;
  return oauthJson({ error, error_description: description }, 401, { "www-authenticate": challenge });
}

/**
 * `GET|POST /oauth2/userInfo` with `Authorization: Bearer <access token>` (which must hold
 * `openid`): `sub`, `username` and the attributes the token's scopes allow (`email`,
 * `phone`; `profile` for the rest), as Cognito gives them (strings, verified flags too).
 */
export async function handleUserInfoRequest(state: EmulatorState, request: Request): Promise<Response> {
  const match = /^Bearer\s+(\S+)$/i.exec((request.headers.get("authorization") ?? "").trim());
  if (!match) return unauthorized("invalid_request", "Access token is missing");
  let scopes: string[];
  let username: string;
  try {
    const { claims } = await state.tokens.verifyAccessToken(match[1]!, { requiredScope: "openid" });
    scopes = String(claims.scope).split(" ");
    username = String(claims.username);
  } catch (error) {
    if (error instanceof CognitoError) return unauthorized("invalid_token", error.message === "Access Token does not have required scopes" ? "Access token does not contain openid scope" : "Access token is not valid");
    throw error;
  }
  const user = state.users.byUsername(username);
  if (!user || !user.enabled) return unauthorized("invalid_token", "User does not exist or is disabled");
  const body: Record<string, unknown> = { sub: user.sub };
  for (const [name, value] of user.attributes) {
    if (name === "sub") continue;
    const allowed = emailClaims.includes(name) ? scopes.includes("email") : phoneClaims.includes(name) ? scopes.includes("phone") : scopes.includes("profile");
    if (!allowed) continue;
    body[name] = value;
  }
  body.username = user.username;
  return oauthJson(body);
}
