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

/** Signs tokens and verifies the access tokens callers present. */
export interface TokenIssuer {
  issue(user: UserRecord, family: TokenFamily): Promise<AuthenticationResult>;
  /** Verifies signature, issuer, `token_use`, expiry (emulator clock) and revocation. */
  verifyAccessToken(token: string): Promise<{ claims: JWTPayload; family: TokenFamily }>;
}

const booleanAttributes = new Set(["email_verified", "phone_number_verified"]);

function idTokenAttributes(user: UserRecord): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of user.attributes) {
    if (name === "sub") continue;
    claims[name] = booleanAttributes.has(name) ? value === "true" : name === "updated_at" ? Number(value) : value;
  }
  return claims;
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
    async issue(user, family) {
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
      const [IdToken, AccessToken] = await Promise.all([
        sign(
          { ...common, ...groupRoleClaims(groups, groupRoles), ...idTokenAttributes(user), "cognito:username": user.username, aud: client.id, token_use: "id" },
          keys.id,
          client.tokenValidity.idSeconds,
        ),
        sign(
          { ...common, client_id: client.id, token_use: "access", scope: "aws.cognito.signin.user.admin", username: user.username, version: 2 },
          keys.access,
          client.tokenValidity.accessSeconds,
        ),
      ]);
      return { AccessToken, IdToken, ExpiresIn: client.tokenValidity.accessSeconds, TokenType: "Bearer" };
    },

    async verifyAccessToken(token) {
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
      return { claims, family };
    },
  };
}
