import type { JWTPayload } from "jose";
import { CognitoError } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import type { LinkedLogin } from "./identity-store.js";
import { invalidLoginToken, verifyLoginJwt } from "./verify-login-jwt.js";

/** A login whose token checked out, with the claims role mapping reads. */
export interface VerifiedLogin extends LinkedLogin {
  claims: JWTPayload;
}

/** `Logins` key of the emulator's user pool: `cognito-idp.<region>.amazonaws.com/<poolId>`. */
export const userPoolLoginKey = (state: Pick<EmulatorState, "pool">): string => `cognito-idp.${state.pool.region}.amazonaws.com/${state.pool.id}`;

/**
 * The other name of the same provider: the ID token's `iss` without its scheme
 * (`127.0.0.1:<port>/<poolId>`), which clients that derive the key from `iss` send. Cognito
 * accepts the key that matches its own issuer; here the issuer is the emulator's URL.
 */
const issuerLoginKey = (state: Pick<EmulatorState, "issuerUrl">): string => state.issuerUrl.replace(/^https?:\/\//, "");

async function verifyUserPoolIdToken(state: EmulatorState, token: string): Promise<VerifiedLogin> {
  const claims = await verifyLoginJwt(token, {
    key: state.keys.id.publicKey,
    issuers: [state.issuerUrl],
    audiences: [state.client.id],
    now: state.clock.now(),
  });
  if (claims.token_use !== "id") throw invalidLoginToken("Not a valid OpenId Connect identity token.");
  // A deleted user's ID token is still a well-signed JWT, but the user pool that issued it
  // no longer vouches for it (tokens signed outside a sign-in have no family to check).
  const family = typeof claims.origin_jti === "string" ? state.refreshTokens.byOrigin(claims.origin_jti) : undefined;
  if (family && state.users.byUsername(family.username)?.sub !== claims.sub) throw invalidLoginToken("User does not exist.");
  return { provider: userPoolLoginKey(state), subject: claims.sub, claims };
}

/**
 * Verifies every token of a `Logins` map for real: user pool ID tokens against the
 * emulator's own key and app client, external tokens against the fake providers. A key the
 * pool does not know is refused as Cognito refuses it.
 */
export async function verifyLogins(state: EmulatorState, logins: Record<string, string>): Promise<VerifiedLogin[]> {
  const verified: VerifiedLogin[] = [];
  for (const [provider, token] of Object.entries(logins)) {
    // Both keys name one provider, so the login is recorded under the canonical key and
    // one user is one identity whichever key the client built.
    if (provider === userPoolLoginKey(state) || provider === issuerLoginKey(state)) {
      verified.push(await verifyUserPoolIdToken(state, token));
      continue;
    }
    const external = Object.values(state.providers).find((p) => p.loginKey === provider);
    if (!external) throw new CognitoError("NotAuthorizedException", "Token is not from a supported provider of this identity pool.");
    const subject = await external.verify(token);
    verified.push({ provider, subject, claims: external.tokenKind === "jwt" ? decodeClaims(token) : {} });
  }
  return verified;
}

function decodeClaims(jwt: string): JWTPayload {
  // Only after verify() accepted the token.
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as JWTPayload;
}
