import type { AwsCredentials } from "@cogkit/core";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

/**
 * The ARN STS sees for these credentials (`…:assumed-role/<role>/…`): proof that they work,
 * and which IAM role the identity pool chose.
 */
export async function callerArn(credentials: AwsCredentials, region: string, endpoint: string | undefined): Promise<string> {
  const sts = new STSClient({ region, credentials, maxAttempts: 1, ...(endpoint ? { endpoint } : {}) });
  try {
    const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
    return Arn ?? "";
  } finally {
    sts.destroy();
  }
}

/** `Cognito_EmulatorAuth_Role` from `arn:aws:sts::123:assumed-role/Cognito_EmulatorAuth_Role/CognitoIdentityCredentials`. */
export const roleOf = (arn: string) => /:assumed-role\/([^/]+)/.exec(arn)?.[1] ?? arn;
