/** An access token of the client credentials grant, as {@link getAccessToken} returns it. */
export interface MachineAccessToken {
  /** The bearer token, for `Authorization: Bearer <accessToken>`. */
  accessToken: string;
  /** When it expires, by this machine's clock when it was received. */
  expiresAt: Date;
  /** The scopes it grants. */
  scopes: string[];
}

/**
 * The storage key of a client's token for a set of scopes, in any order (`*`: none asked,
 * so all the client's own).
 */
export function accessTokenKey(clientId: string, scopes: readonly string[]): string {
  return `cogkit.${clientId}.accessToken.${scopes.length > 0 ? [...new Set(scopes)].sort().join(" ") : "*"}`;
}

/** The cache record of `token`, received at `receivedAt` from `domain`. */
export function encodeAccessToken(token: MachineAccessToken, domain: string, receivedAt: number): string {
  return JSON.stringify({ v: 1, domain, accessToken: token.accessToken, expiresAt: token.expiresAt.getTime(), receivedAt, scopes: token.scopes });
}

/**
 * The token of a cache record if it is readable, from `domain`, and not due for renewal at
 * `now`: due `marginMs` before it expires, or halfway through its life when that is sooner
 * (a five-minute token is still worth caching with a five-minute margin).
 */
export function readAccessToken(record: string | undefined, domain: string, now: number, marginMs: number): MachineAccessToken | undefined {
  if (record === undefined) return undefined;
  try {
    const value = JSON.parse(record) as Record<string, unknown>;
    const { v, accessToken, expiresAt, receivedAt, scopes } = value;
    if (
      v !== 1 ||
      value.domain !== domain ||
      typeof accessToken !== "string" ||
      typeof expiresAt !== "number" ||
      typeof receivedAt !== "number" ||
      !Array.isArray(scopes) ||
      !scopes.every((scope) => typeof scope === "string") ||
      now >= expiresAt - Math.min(marginMs, (expiresAt - receivedAt) / 2) ||
      // A clock set back since: the token's age is unknown.
      now < receivedAt
    ) {
      return undefined;
    }
    return { accessToken, expiresAt: new Date(expiresAt), scopes: scopes as string[] };
  } catch {
    return undefined;
  }
}
