import { createHash } from "node:crypto";
import { SignJWT, errors, jwtVerify } from "jose";
import type { JWTPayload } from "jose";
import { CognitoError } from "../protocol/cognito-error.js";
import { createUuid } from "../ids.js";
import type { EmulatorClock } from "../control/emulator-clock.js";
import type { ClientModel } from "../emulator-options.js";
import type { GroupRole } from "../identity-pool/identity-pool-options.js";
import type { UserRecord } from "../user-pool/user-store.js";
import type { SigningKeys } from "./signing-keys.js";
import type { RefreshTokenStore, TokenFamily } from "./refresh-token-store.js";

/** The `AuthenticationResult` of a successful sign-in or refresh. */
export interface AuthenticationResult {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: "Bearer";
}

/** The scope that lets an access token call the user pool API (GetUser, ChangePassword, ...). */
export const userAdminScope = "aws.cognito.signin.user.admin";

/** Signs tokens and verifies the access tokens callers present. */
export interface TokenIssuer {
  /**
   * ID and access tokens of a family. Hosted-UI families (with `scopes`) get the granted
   * scopes, `at_hash`, and `nonce` when given (only at the code exchange, never on refresh).
   */
  issue(user: UserRecord, family: TokenFamily, extra?: { nonce?: string }): Promise<AuthenticationResult>;
  /** A client-credentials access token for a machine client: no user, no family. */
  issueClientAccessToken(input: { clientId: string; scopes: readonly string[]; lifetimeSeconds: number }): Promise<string>;
  /**
   * Verifies signature, issuer, `token_use`, expiry (emulator clock), revocation and that
   * the token holds `requiredScope` (default `aws.cognito.signin.user.admin`, which the
   * user pool API needs).
   */
  verifyAccessToken(token: string, options?: { requiredScope?: string }): Promise<{ claims: JWTPayload; family: TokenFamily }>;
}

const booleanAttributes = new Set(["email_verified", "phone_number_verified"]);

function idTokenAttributes(user: UserRecord): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of user.attributes) {
    if (name === "sub" || name === "identities") continue;
    claims[name] = booleanAttributes.has(name) ? value === "true" : name === "updated_at" ? Number(value) : value;
  }
  if (user.identities && user.identities.length > 0) {
    // Cognito's own shape: strings where one expects booleans and numbers.
    claims.identities = user.identities.map((i) => ({
      dateCreated: String(i.dateCreated),
      userId: i.userId,
      providerName: i.providerName,
      providerType: i.providerType,
      issuer: null,
      primary: "true",
    }));
  }
  return claims;
}

/** OIDC's `at_hash`: the left half of the access token's SHA-256, base64url. */
function accessTokenHash(accessToken: string): string {
  const digest = createHash("sha256").update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

/**
 * `cognito:roles` (every role of the user's groups) and `cognito:preferred_role` (the role of
 * the group with the lowest precedence; none when the best precedence is shared by groups
 * with different roles, or no group with a role has a precedence).
 */
export function groupRoleClaims(groups: readonly string[], groupRoles: ReadonlyMap<string, GroupRole>): Record<string, unknown> {
  const held = groups.flatMap((group) => {
    const role = groupRoles.get(group);
    return role ? [role] : [];
  });
  if (held.length === 0) return {};
  const roles = [...new Set(held.map((r) => r.roleArn))];
  const ranked = held.filter((r) => r.precedence !== undefined).sort((a, b) => a.precedence! - b.precedence!);
  const best = ranked[0];
  const tied = best ? new Set(ranked.filter((r) => r.precedence === best.precedence).map((r) => r.roleArn)) : new Set<string>();
  return { "cognito:roles": roles, ...(best && tied.size === 1 ? { "cognito:preferred_role": best.roleArn } : {}) };
}

/**
 * Creates the issuer of the pool's JWTs, with the claim sets Cognito uses.
 *
 * @example
 * const issuer = createTokenIssuer({ keys, issuerUrl: `${url}/${poolId}`, clock, client, refreshTokens });
 * const { claims } = await issuer.verifyAccessToken(accessToken);
 */
export function createTokenIssuer(input: {
  keys: SigningKeys;
  issuerUrl: string;
  clock: EmulatorClock;
  client: ClientModel;
  refreshTokens: RefreshTokenStore;
  groupRoles?: ReadonlyMap<string, GroupRole>;
}): TokenIssuer {
  const { keys, issuerUrl, clock, client, refreshTokens, groupRoles = new Map() } = input;
  return {
    async issue(user, family, extra = {}) {
      const iat = Math.floor(clock.now() / 1000);
      const eventId = createUuid();
      const groups = [...user.groups];
      const common = { sub: user.sub, ...(groups.length > 0 ? { "cognito:groups": groups } : {}), origin_jti: family.originJti, event_id: eventId, auth_time: family.authTime };
      const sign = (payload: Record<string, unknown>, key: typeof keys.id, lifetime: number) =>
        new SignJWT(payload)
          .setProtectedHeader({ alg: "RS256", kid: key.kid })
          .setIssuer(issuerUrl)
          .setIssuedAt(iat)
          .setExpirationTime(iat + lifetime)
          .setJti(createUuid())
          .sign(key.privateKey);
      const scope = family.scopes ? family.scopes.join(" ") : userAdminScope;
      const AccessToken = await sign(
        {
          ...common,
          ...(family.deviceKey ? { device_key: family.deviceKey } : {}),
          client_id: family.clientId,
          token_use: "access",
          scope,
          username: user.username,
          version: 2,
        },
        keys.access,
        client.tokenValidity.accessSeconds,
      );
      const IdToken = await sign(
        {
          ...(family.scopes ? { at_hash: accessTokenHash(AccessToken) } : {}),
          ...common,
          ...groupRoleClaims(groups, groupRoles),
          ...idTokenAttributes(user),
          "cognito:username": user.username,
          ...(extra.nonce !== undefined ? { nonce: extra.nonce } : {}),
          aud: family.clientId,
          token_use: "id",
        },
        keys.id,
        client.tokenValidity.idSeconds,
      );
      return { AccessToken, IdToken, ExpiresIn: client.tokenValidity.accessSeconds, TokenType: "Bearer" };
    },

    async issueClientAccessToken({ clientId, scopes, lifetimeSeconds }) {
      const iat = Math.floor(clock.now() / 1000);
      // Cognito's client-credentials tokens: the client is the subject; no username, no origin_jti.
      return new SignJWT({ sub: clientId, token_use: "access", scope: scopes.join(" "), auth_time: iat, client_id: clientId, version: 2 })
        .setProtectedHeader({ alg: "RS256", kid: keys.access.kid })
        .setIssuer(issuerUrl)
        .setIssuedAt(iat)
        .setExpirationTime(iat + lifetimeSeconds)
        .setJti(createUuid())
        .sign(keys.access.privateKey);
    },

    async verifyAccessToken(token, { requiredScope = userAdminScope } = {}) {
      const invalid = () => new CognitoError("NotAuthorizedException", "Invalid Access Token");
      let claims: JWTPayload;
      try {
        ({ payload: claims } = await jwtVerify(token, keys.access.publicKey, {
          algorithms: ["RS256"],
          issuer: issuerUrl,
          currentDate: new Date(clock.now()),
        }));
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new CognitoError("NotAuthorizedException", "Access Token has expired");
        throw invalid();
      }
      if (claims.token_use !== "access" || claims.client_id !== client.id || typeof claims.origin_jti !== "string") throw invalid();
      const family = refreshTokens.byOrigin(claims.origin_jti);
      if (!family) throw invalid();
      if (family.revoked) throw new CognitoError("NotAuthorizedException", "Access Token has been revoked");
      if (typeof claims.scope !== "string" || !claims.scope.split(" ").includes(requiredScope)) {
        throw new CognitoError("NotAuthorizedException", "Access Token does not have required scopes");
      }
      return { claims, family };
    },
  };
}
