/**
 * How one identity provider's users get their role, as in Cognito's `RoleMappings`. Only
 * `"Token"` is emulated: the role comes from the token's `cognito:preferred_role` /
 * `cognito:roles` (user pool groups), or `CustomRoleArn` when the token lists it.
 *
 * @example
 * const mapping: RoleMapping = { type: "Token", ambiguousRoleResolution: "Deny" };
 */
export interface RoleMapping {
  type: "Token";
  /** What to do when the token names no single role. Default `"AuthenticatedRole"`. */
  ambiguousRoleResolution?: "AuthenticatedRole" | "Deny";
}

/**
 * The identity pool the emulator boots beside the user pool.
 *
 * @example
 * await startEmulator({
 *   identityPool: {
 *     allowUnauthenticated: false,
 *     roles: { authenticated: "arn:aws:iam::123456789012:role/App_Auth" },
 *     roleMappings: { userPool: { type: "Token", ambiguousRoleResolution: "Deny" } },
 *   },
 * });
 */
export interface IdentityPoolOptions {
  /** Cognito's `AllowUnauthenticatedIdentities` (guest access). Default true. */
  allowUnauthenticated?: boolean;
  /** Role ARNs for signed-in and guest identities; emulator roles in account 123456789012 otherwise. */
  roles?: { authenticated?: string; unauthenticated?: string };
  /**
   * Role mappings by provider: `userPool` for the emulator's own pool and app client, or a
   * login key such as `accounts.google.com`.
   */
  roleMappings?: Record<string, RoleMapping>;
}

/**
 * A role for a user pool group; members get it in the ID token's `cognito:roles`, and the
 * group with the lowest `precedence` sets `cognito:preferred_role`.
 *
 * @example
 * await startEmulator({ groupRoles: { admins: { roleArn: "arn:aws:iam::123456789012:role/Admin", precedence: 1 } } });
 */
export interface GroupRole {
  roleArn: string;
  precedence?: number;
}

/** The identity pool resolved from the options. */
export interface IdentityPoolModel {
  id: string;
  region: string;
  allowUnauthenticated: boolean;
  roles: { authenticated: string; unauthenticated: string };
  /** By login key (`cognito-idp.<region>.amazonaws.com/<poolId>` for the user pool). */
  roleMappings: Map<string, Required<RoleMapping>>;
}

/** The account of the emulator's default roles (the example account of AWS docs). */
export const defaultAccountId = "123456789012";
const roleArnPattern = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Throws a TypeError unless `arn` is an IAM role ARN. */
export function checkRoleArn(arn: unknown, field: string): string {
  if (typeof arn !== "string" || !roleArnPattern.test(arn)) {
    throw new TypeError(`${field} must be an IAM role ARN such as arn:aws:iam::123456789012:role/Name, got ${JSON.stringify(arn)}`);
  }
  return arn;
}

/** Checks the identity pool options and fills in defaults. Misuse is a TypeError. */
export function resolveIdentityPoolModel(
  options: IdentityPoolOptions,
  input: { id: string; region: string; userPoolLoginKey: string },
): IdentityPoolModel {
  const roles = {
    authenticated: checkRoleArn(options.roles?.authenticated ?? `arn:aws:iam::${defaultAccountId}:role/Cognito_EmulatorAuth_Role`, "identityPool.roles.authenticated"),
    unauthenticated: checkRoleArn(
      options.roles?.unauthenticated ?? `arn:aws:iam::${defaultAccountId}:role/Cognito_EmulatorUnauth_Role`,
      "identityPool.roles.unauthenticated",
    ),
  };
  const roleMappings = new Map<string, Required<RoleMapping>>();
  for (const [provider, mapping] of Object.entries(options.roleMappings ?? {})) {
    if (mapping?.type !== "Token") throw new TypeError(`identityPool.roleMappings.${provider}.type must be "Token" (rules are not emulated)`);
    const resolution = mapping.ambiguousRoleResolution ?? "AuthenticatedRole";
    if (resolution !== "AuthenticatedRole" && resolution !== "Deny") {
      throw new TypeError(`identityPool.roleMappings.${provider}.ambiguousRoleResolution must be "AuthenticatedRole" or "Deny"`);
    }
    roleMappings.set(provider === "userPool" ? input.userPoolLoginKey : provider, { type: "Token", ambiguousRoleResolution: resolution });
  }
  return { id: input.id, region: input.region, allowUnauthenticated: options.allowUnauthenticated ?? true, roles, roleMappings };
}

/** Checks `groupRoles`. Misuse is a TypeError. */
export function resolveGroupRoles(groupRoles: Record<string, GroupRole> | undefined): Map<string, GroupRole> {
  const resolved = new Map<string, GroupRole>();
  for (const [group, role] of Object.entries(groupRoles ?? {})) {
    checkRoleArn(role?.roleArn, `groupRoles.${group}.roleArn`);
    if (role.precedence !== undefined && (!Number.isInteger(role.precedence) || role.precedence < 0)) {
      throw new TypeError(`groupRoles.${group}.precedence must be a non-negative whole number`);
    }
    resolved.set(group, { roleArn: role.roleArn, ...(role.precedence !== undefined ? { precedence: role.precedence } : {}) });
  }
  return resolved;
}
