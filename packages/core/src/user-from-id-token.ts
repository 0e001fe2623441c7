import type { CustomAttributeDefinition, UserAttributes, UserAttributeSchema } from "./config.js";
import type { JwtPayload } from "./jwt.js";
import type { AuthUser } from "./auth-snapshot.js";

// Claims that describe the token rather than the user; and `__proto__`, which no attribute
// is named and which, copied by assignment, would replace the attributes' prototype.
const tokenClaims = "iss aud exp iat nbf auth_time token_use jti origin_jti event_id at_hash nonce __proto__".split(" ");

/**
 * The user an id token describes; `custom:*` claims (always strings in tokens) are turned
 * into the type the schema gives them.
 *
 * @example
 * userFromIdToken(readJwtClaims(idToken) ?? {}, config.userAttributes).attributes.email
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
