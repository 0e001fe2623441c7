import { decodeJwt, errors, jwtVerify } from "jose";
import type { CryptoKey, JWTPayload } from "jose";
import { CognitoError } from "../protocol/cognito-error.js";

/** `NotAuthorizedException` "Invalid login token. <reason>", Cognito Identity's wording. */
export const invalidLoginToken = (reason: string): CognitoError => new CognitoError("NotAuthorizedException", `Invalid login token. ${reason}`);

/**
 * Verifies an OpenID Connect ID token presented in `Logins`: RS256 signature with the
 * issuer's key, one of the accepted issuers, expiry by the emulator clock, an accepted
 * audience and a subject. Every failure is a NotAuthorizedException worded like Cognito's.
 *
 * @example
 * const claims = await verifyLoginJwt(token, { key, issuers: ["https://accounts.google.com"], audiences: [clientId], now: clock.now() });
 */
export async function verifyLoginJwt(
  token: string,
  expected: { key: CryptoKey; issuers: readonly string[]; audiences: readonly string[]; now: number },
): Promise<JWTPayload & { sub: string }> {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    throw invalidLoginToken("Not a valid OpenId Connect identity token.");
  }
  if (claims.aud === undefined) throw invalidLoginToken("Missing a required claim: aud");
  try {
    ({ payload: claims } = await jwtVerify(token, expected.key, {
      algorithms: ["RS256"],
      issuer: [...expected.issuers],
      currentDate: new Date(expected.now),
      clockTolerance: 0,
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw invalidLoginToken(`Token expired: ${String(claims.exp)} >= ${Math.floor(expected.now / 1000)}`);
    if (error instanceof errors.JWSSignatureVerificationFailed) throw invalidLoginToken("Token signature invalid.");
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === "iss") throw invalidLoginToken("Issuer doesn't match providerName");
    throw invalidLoginToken("Not a valid OpenId Connect identity token.");
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((aud) => typeof aud === "string" && expected.audiences.includes(aud))) throw invalidLoginToken("Incorrect token audience.");
  if (typeof claims.sub !== "string" || claims.sub === "") throw invalidLoginToken("Missing a required claim: sub");
  return claims as JWTPayload & { sub: string };
}
