import { CognitoError } from "../protocol/cognito-error.js";
import type { IdentityPoolModel } from "./identity-pool-options.js";
import type { VerifiedLogin } from "./verify-logins.js";

const rolesOf = (login: VerifiedLogin): string[] => {
  const roles = login.claims["cognito:roles"];
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [];
};

/**
 * Picks the IAM role for a call: the unauthenticated role for guests; for signed-in
 * identities `CustomRoleArn` when the token lists it in `cognito:roles`, else, where the
 * provider's role mapping is "Token", `cognito:preferred_role` or the token's only role,
 * with `AmbiguousRoleResolution` deciding the rest; the authenticated role otherwise.
 *
 * @example
 * chooseRole(pool, { logins, customRoleArn: undefined }); // "arn:aws:iam::123456789012:role/..."
 */
export function chooseRole(pool: IdentityPoolModel, input: { logins: readonly VerifiedLogin[]; customRoleArn: string | undefined }): string {
  const { logins, customRoleArn } = input;
  if (customRoleArn !== undefined) {
    if (logins.some((login) => rolesOf(login).includes(customRoleArn))) return customRoleArn;
    throw new CognitoError("NotAuthorizedException", `The role '${customRoleArn}' is not in the cognito:roles claim of the login token.`);
  }
  if (logins.length === 0) return pool.roles.unauthenticated;
  for (const login of logins) {
    const mapping = pool.roleMappings.get(login.provider) ?? pool.roleMappings.get(`${login.provider}:${String(login.claims.aud)}`);
    if (!mapping) continue;
    const preferred = login.claims["cognito:preferred_role"];
    if (typeof preferred === "string") return preferred;
    const roles = rolesOf(login);
    if (roles.length === 1) return roles[0]!;
    if (mapping.ambiguousRoleResolution === "Deny") {
      throw new CognitoError("NotAuthorizedException", `The ambiguous role mapping rules for: ${login.provider} denied this request.`);
    }
    return pool.roles.authenticated;
  }
  return pool.roles.authenticated;
}
