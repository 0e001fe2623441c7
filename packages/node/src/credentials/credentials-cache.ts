import type { AwsCredentials } from "@cogkit/core";
/**
 * Temporary AWS credentials from an identity pool: core's `AwsCredentials` (a type-only
 * import, so the warm path still loads no package).
 */
export type CognitoAwsCredentials = AwsCredentials;

/** The storage key of the credentials cached for an identity pool. */
export function credentialsCacheKey(identityPoolId: string): string {
  return `cogkit.${identityPoolId}.credentials`;
}

/** The storage key of a client's session (core's record). */
export function sessionKey(clientId: string): string {
  return `cogkit.${clientId}.session`;
}

/**
 * The storage key of the mark a profile keeps once someone signed in to it (the user's
 * `sub`): only `cogkit logout` removes it, so a session record that is later lost or
 * unreadable is never mistaken for a profile where nobody signed in (a guest's).
 */
export function signedInMarkKey(clientId: string): string {
  return `cogkit.${clientId}.signedIn`;
}

/**
 * True when `entries` show that a user signed in to the profile: its mark, or credentials
 * cached for a user (profiles written before the mark existed).
 */
export function wasSignedIn(entries: Record<string, string>, clientId: string, identityPoolId: string): boolean {
  if (entries[signedInMarkKey(clientId)] !== undefined) return true;
  const record = entries[credentialsCacheKey(identityPoolId)];
  if (record === undefined) return false;
  try {
    return typeof (JSON.parse(record) as { subject?: unknown }).subject === "string";
  } catch {
    return false;
  }
}

/**
 * Whose credentials a store holds: the `sub` of the stored session's ID token, `null` when
 * there is no session (a guest), `undefined` when the record cannot be read.
 */
export function storedSubject(sessionRecord: string | undefined): string | null | undefined {
  if (sessionRecord === undefined) return null;
  try {
    const { idToken } = JSON.parse(sessionRecord) as { idToken?: unknown };
    if (typeof idToken !== "string") return undefined;
    const payload = idToken.split(".")[1] ?? "";
    const { sub } = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown };
    return typeof sub === "string" ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** Credentials from a cache record, if it is readable, for `subject`, and fresh until `now + marginMs`. */
export function readCachedCredentials(
  record: string | undefined,
  subject: string | null | undefined,
  now: number,
  marginMs: number,
): CognitoAwsCredentials | undefined {
  if (record === undefined || subject === undefined) return undefined;
  try {
    const value = JSON.parse(record) as Record<string, unknown>;
    const { v, accessKeyId, secretAccessKey, sessionToken, expiration, identityId, authenticated } = value;
    if (
      v !== 1 ||
      value.subject !== subject ||
      typeof accessKeyId !== "string" ||
      typeof secretAccessKey !== "string" ||
      typeof sessionToken !== "string" ||
      typeof expiration !== "number" ||
      typeof identityId !== "string" ||
      typeof authenticated !== "boolean" ||
      expiration - marginMs <= now
    ) {
      return undefined;
    }
    // A plain object, not a frozen one: the AWS SDK v3 writes its feature markers onto the
    // credentials it is given, and throws on a frozen object.
    return { accessKeyId, secretAccessKey, sessionToken, expiration: new Date(expiration), identityId, authenticated };
  } catch {
    return undefined;
  }
}

/** The cache record of `credentials`, obtained for `subject`. */
export function encodeCachedCredentials(credentials: CognitoAwsCredentials, subject: string | null): string {
  const { accessKeyId, secretAccessKey, sessionToken, expiration, identityId, authenticated } = credentials;
  return JSON.stringify({ v: 1, subject, accessKeyId, secretAccessKey, sessionToken, expiration: expiration.getTime(), identityId, authenticated });
}
