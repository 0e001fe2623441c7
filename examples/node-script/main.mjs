// A Node script's whole Cognito story in one call: getCredentials() signs in (or reuses the
// stored session), trades the ID token for AWS credentials, and any AWS SDK v3 client signs
// with them. Here STS GetCallerIdentity, answered by the emulator started in this process.
//
//   pnpm --filter cogkit-example-node-script start     (after `pnpm build`)
//
// Against real Cognito, drop the emulator and set COGKIT_USER_POOL_ID, COGKIT_CLIENT_ID,
// COGKIT_IDENTITY_POOL_ID, COGKIT_USERNAME and COGKIT_PASSWORD instead.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { createAuthClient } from "@cogkit/core";
import { startEmulator } from "@cogkit/emulator";
import { cognitoCredentials, getCredentials } from "@cogkit/node";

const emulator = await startEmulator({ quiet: true });
// The session file goes to a throwaway directory, not your ~/.config/cogkit.
const dir = await mkdtemp(join(tmpdir(), "cogkit-example-"));
try {
  const username = "script@example.com";
  const password = "Correct-Horse-Battery-9";
  // A user to sign in as (a real app would already have one).
  const admin = createAuthClient(emulator.config);
  await admin.signUp({ username, password });
  await admin.confirmSignUp({ username, code: emulator.outbox.latest(username).code });
  admin.dispose();

  const options = { config: emulator.config, username, password, dir };
  const credentials = await getCredentials(options);
  console.log(`credentials for identity ${credentials.identityId}, until ${credentials.expiration.toISOString()}`);

  const again = performance.now();
  await getCredentials(options);
  console.log(`second call: from the session file in ${(performance.now() - again).toFixed(1)} ms, no request`);

  // Any AWS SDK v3 client takes the provider; it refreshes before expiry on its own.
  const sts = new STSClient({ region: emulator.config.region, endpoint: emulator.url, credentials: cognitoCredentials(options) });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  console.log(`STS says: ${identity.Arn}`);
} finally {
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
}
