import type { PoolSettings } from "../config.js";
import { AuthError } from "../errors.js";
import { readJwtClaims } from "../jwt.js";

/**
 * The issuers an id token of this user pool may name: Cognito's own
 * (`https://cognito-idp.<region>.amazonaws.com/<poolId>`), and with `userPoolEndpoint` set
 * (the emulator, a proxy) that endpoint's, `<endpoint without trailing slash>/<poolId>`.
 *
 * @example
 * acceptedIssuers({ region: "eu-west-1", userPoolId: "eu-west-1_abc", userPoolEndpoint: "http://127.0.0.1:9229/" })
 * // ["https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc", "http://127.0.0.1:9229/eu-west-1_abc"]
 */
export function acceptedIssuers(config: Pick<PoolSettings, "region" | "userPoolId" | "userPoolEndpoint">): string[] {
  const issuers = [`https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`];
  if (config.userPoolEndpoint) issuers.push(`${config.userPoolEndpoint.replace(/\/+$/, "")}/${config.userPoolId}`);
  return issuers;
}

/**
 * Checks the claims that bind an id token to this sign-in: `iss` (this user pool), `aud`
 * (this app client), `nonce` (the one this sign-in sent), `token_use` (an id token).
 * Throws `ERR_TOKEN_INVALID` naming the claim, never its value. Expiry is checked by the
 * caller on the drift-corrected session times.
 *
 * The signature is not checked: the token comes straight from the user pool's token
 * endpoint over TLS, in answer to a request carrying the PKCE verifier only this client
 * knows, so nobody else could have put it there (OpenID Connect Core §3.1.3.7 allows TLS
 * server validation in place of the signature for such tokens). Servers that receive tokens
 * from others verify them (`verifyToken` in `@cogkit/node`).
 */
export function checkIdToken(config: PoolSettings, idToken: string, nonce: string): void {
  const claims = readJwtClaims(idToken);
  const refuse = (claim: string) => new AuthError("ERR_TOKEN_INVALID", `Hosted UI sign-in: the id token's \`${claim}\` is not this sign-in's`);
  if (!claims) throw new AuthError("ERR_TOKEN_INVALID", "Hosted UI sign-in: the id token is not a readable JWT");
  if (typeof claims.iss !== "string" || !acceptedIssuers(config).includes(claims.iss)) throw refuse("iss");
  const { aud } = claims;
  if (!(aud === config.userPoolClientId || (Array.isArray(aud) && aud.includes(config.userPoolClientId)))) throw refuse("aud");
  if (claims.nonce !== nonce) throw refuse("nonce");
  if (claims.token_use !== undefined && claims.token_use !== "id") throw refuse("token_use");
}
