import { type CognitoAwsCredentials } from "./credentials-cache.js";
import { getCredentials, type NodeCredentialsOptions } from "./get-credentials.js";

/** The credential identity the AWS SDK v3 expects (`@smithy/types`' `AwsCredentialIdentity`). */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** An AWS SDK v3 credentials provider (`AwsCredentialIdentityProvider`). */
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

/**
 * A credentials provider for any AWS SDK v3 client, made of {@link getCredentials}: it
 * keeps the credentials in memory and asks again (file first, then Cognito) `marginMs`
 * before they expire; concurrent calls share one request.
 *
 * @example
 * const s3 = new S3Client({ region: "eu-west-1", credentials: cognitoCredentials({ profile: "ci" }) });
 */
export function cognitoCredentials(options: NodeCredentialsOptions = {}): AwsCredentialIdentityProvider {
  const marginMs = options.marginMs ?? 5 * 60_000;
  let current: CognitoAwsCredentials | undefined;
  let pending: Promise<CognitoAwsCredentials> | undefined;
  return async () => {
    if (current && current.expiration.getTime() - marginMs > Date.now()) return current;
    pending ??= getCredentials({ ...options, marginMs }).finally(() => (pending = undefined));
    current = await pending;
    return current;
  };
}
