import { randomBytes, randomInt } from "node:crypto";

/** Temporary credentials the emulator issued, as STS would remember them. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Emulator time, ms since the epoch. */
  expiresAt: number;
  roleArn: string;
  identityId: string;
}

/** The credentials issued by GetCredentialsForIdentity, found by access key id. */
export interface CredentialStore {
  issue(input: { roleArn: string; identityId: string; expiresAt: number }): IssuedCredentials;
  get(accessKeyId: string): IssuedCredentials | undefined;
  /** How many it keeps (tests check that expired ones are dropped). */
  size(): number;
}

/** How long expired credentials are still known (STS answers ExpiredToken), then forgotten. */
const expiredKeptMs = 24 * 60 * 60 * 1000;
/** Emulator time between two sweeps of expired credentials. */
const sweepEveryMs = 60 * 1000;

const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * Creates the table of issued credentials. Access key ids look like STS's temporary ones
 * (`ASIA` + 16 characters), secrets are 40 characters, session tokens long opaque blobs.
 * Credentials a day past their expiry are forgotten as new ones are issued (`now` is the
 * emulator's clock), so getting credentials at every sign-in does not grow memory for good.
 *
 * @example
 * const credentials = createCredentialStore(() => clock.now());
 * const issued = credentials.issue({ roleArn, identityId, expiresAt: clock.now() + 3_600_000 });
 */
export function createCredentialStore(now: () => number = Date.now): CredentialStore {
  const issued = new Map<string, IssuedCredentials>();
  let nextSweepAt = -Infinity;
  const sweep = (at: number) => {
    if (at < nextSweepAt) return;
    nextSweepAt = at + sweepEveryMs;
    for (const [key, credentials] of issued) if (at >= credentials.expiresAt + expiredKeptMs) issued.delete(key);
  };
  return {
    issue({ roleArn, identityId, expiresAt }) {
      sweep(now());
      const accessKeyId = `ASIA${Array.from({ length: 16 }, () => upperAlnum[randomInt(upperAlnum.length)]).join("")}`;
      const credentials: IssuedCredentials = {
        accessKeyId,
        secretAccessKey: randomBytes(30).toString("base64"),
        sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(300).toString("base64")}`,
        expiresAt,
        roleArn,
        identityId,
      };
      issued.set(accessKeyId, credentials);
      return credentials;
    },
    get: (accessKeyId) => issued.get(accessKeyId),
    size: () => issued.size,
  };
}
