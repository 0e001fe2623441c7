// Test helpers: unsigned JWT-shaped tokens with the claims the session reads.
import type { SessionTokens } from "../src/session/session-tokens.js";

function base64Url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

/** A JWT-shaped string with `claims` as payload and a dummy signature. */
export function fakeJwt(claims: Record<string, unknown>): string {
  return `${base64Url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${base64Url(JSON.stringify(claims))}.sig`;
}

/** A grant as Cognito would answer it at server time `serverNowMs`, living `lifetimeS` seconds. */
export function fakeGrant(serverNowMs: number, lifetimeS: number, tag: string, refreshToken = `rt-${tag}`) {
  const iat = Math.floor(serverNowMs / 1000);
  return {
    idToken: fakeJwt({ token_use: "id", iat, exp: iat + lifetimeS, tag }),
    accessToken: fakeJwt({ token_use: "access", iat, exp: iat + lifetimeS, tag }),
    refreshToken,
    expiresIn: lifetimeS,
  };
}

/** Session tokens received at `now`, expiring `lifetimeMs` later, with no drift. */
export function sessionTokens(now: number, lifetimeMs: number, tag: string): SessionTokens & { refreshToken: string } {
  return {
    idToken: `id-${tag}`,
    accessToken: `at-${tag}`,
    refreshToken: `rt-${tag}`,
    issuedAt: now,
    expiresAt: now + lifetimeMs,
    clockDrift: 0,
  };
}
