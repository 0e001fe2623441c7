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
}

const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * Creates the table of issued credentials. Access key ids look like STS's temporary ones
 * (`ASIA` + 16 characters), secrets are 40 characters, session tokens long opaque blobs.
 *
 * @example
 * const credentials = createCredentialStore();
 * const issued = credentials.issue({ roleArn, identityId, expiresAt: clock.now() + 3_600_000 });
 */
export function createCredentialStore(): CredentialStore {
  const issued = new Map<string, IssuedCredentials>();
  return {
    issue({ roleArn, identityId, expiresAt }) {
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
  };
}
