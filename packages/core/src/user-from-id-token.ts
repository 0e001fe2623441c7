import type { AuthenticationResultType } from "@aws-sdk/client-cognito-identity-provider";
import type { CustomAttributeDefinition, UserAttributes, UserAttributeSchema } from "../config.js";
import { AuthError } from "../errors.js";
import type { JwtPayload } from "../jwt.js";
import { readJwtClaims } from "../session/jwt-claims.js";
import { createSessionTokens, type SessionTokens } from "../session/session-tokens.js";
import type { AuthUser, Session } from "../store.js";

// Claims that describe the token rather than the user.
const tokenClaims = ["iss", "aud", "exp", "iat", "nbf", "auth_time", "token_use", "jti", "origin_jti", "event_id", "at_hash", "nonce"];

/**
 * The user an id token describes; `custom:*` claims (always strings in tokens) are turned
 * into the type the schema gives them.
 */
export function userFromIdToken<S extends UserAttributeSchema>(payload: JwtPayload, schema?: S): AuthUser<S> {
  const attributes: Record<string, unknown> = {};
  for (const [claim, value] of Object.entries(payload)) {
    if (tokenClaims.includes(claim) || claim.startsWith("cognito:")) continue;
    const dataType = (schema?.[claim as keyof S] as CustomAttributeDefinition | undefined)?.dataType;
    attributes[claim] =
      typeof value !== "string" ? value : dataType === "Boolean" ? value === "true" : dataType === "Number" ? Number(value) : value;
  }
  const groups = payload["cognito:groups"];
  return {
    username: String(payload["cognito:username"] ?? ""),
    userId: String(payload.sub ?? ""),
    groups: Array.isArray(groups) ? groups.map(String) : [],
    attributes: attributes as UserAttributes<S>,
  };
}

/** A session from stored or received tokens; `null` when the id token is unreadable. */
export function sessionFromTokens<S extends UserAttributeSchema>(tokens: SessionTokens, schema?: S): Session<S> | null {
  const claims = readJwtClaims(tokens.idToken);
  return claims && readJwtClaims(tokens.accessToken) ? { tokens, user: userFromIdToken(claims, schema) } : null;
}

/**
 * A session from Cognito's `AuthenticationResult`, received at local time `now`. Throws
 * `ERR_BAD_RESPONSE` when it lacks readable tokens.
 */
export function sessionFromResult<S extends UserAttributeSchema>(
  result: AuthenticationResultType | undefined,
  now: number,
  schema?: S,
): Session<S> {
  const { IdToken, AccessToken, RefreshToken, ExpiresIn } = result ?? {};
  const session =
    IdToken && AccessToken && RefreshToken
      ? sessionFromTokens(createSessionTokens({ idToken: IdToken, accessToken: AccessToken, refreshToken: RefreshToken, expiresIn: ExpiresIn }, now), schema)
      : null;
  if (!session) throw new AuthError("ERR_BAD_RESPONSE", "Cognito's answer holds no readable tokens");
  return session;
}
