// The whole journey against the emulator, in one process, with no AWS account:
// guest AWS credentials → sign up → read the code from the emulator's outbox → confirm →
// sign in with SRP → show who Cognito says the user is → the user's own AWS credentials →
// refresh → sign out.
import { createAuthClient, defineAuth, getCredentials } from "@cogkit/core";
import { startEmulator } from "@cogkit/emulator";

const auth = defineAuth({
  loginWith: { email: true },
  groups: ["ADMINS", "EDITORS"],
  userAttributes: {
    givenName: { mutable: true, required: false },
    "custom:is_beta_user": { dataType: "Boolean", mutable: true },
  },
});

const emulator = await startEmulator({ auth });
try {
  console.log(`emulator listening at ${emulator.url} (user pool ${emulator.config.userPoolId})`);
  const client = createAuthClient(emulator.config);
  const guest = await getCredentials(client);
  console.log(`guest credentials: identity ${guest.identityId}, key ${guest.accessKeyId.slice(0, 8)}…, until ${guest.expiration.toISOString()}`);

  const username = "ada@example.com";
  const password = "Correct-Horse-Battery-9";

  const signUp = await client.signUp({
    username,
    password,
    attributes: { email: username, given_name: "Ada", "custom:is_beta_user": "true" },
  });
  console.log(`signed up: sub ${signUp.userSub}, next step ${signUp.nextStep.type}`);

  const message = emulator.outbox.latest(username);
  if (!message) throw new Error("the emulator sent no confirmation code");
  console.log(`code sent to ${message.destination}: ${message.code}`);
  await client.confirmSignUp({ username, code: message.code });
  console.log("confirmed");

  const started = performance.now();
  const { nextStep } = await client.signIn({ username, password }); // SRP by default
  console.log(`signed in with SRP in ${(performance.now() - started).toFixed(0)} ms, next step ${nextStep.type}`);

  const { user, status } = client.getSnapshot();
  console.log(`status ${status}; user ${user.username} (${user.userId})`);
  console.log("attributes:", user.attributes);

  const { idToken, accessToken, expiresAt } = await client.getTokens();
  const { sub, email, email_verified, token_use, iss, aud, exp } = idToken.payload;
  console.log("id token claims:", { sub, email, email_verified, token_use, iss, aud, exp });
  console.log(`access token scope "${accessToken.payload.scope}", valid until ${new Date(expiresAt).toISOString()}`);

  const mine = await getCredentials(client);
  const carried = mine.identityId === guest.identityId ? "the guest identity, now linked to the user" : "a new identity";
  console.log(`user credentials: authenticated ${mine.authenticated}, identity ${mine.identityId} (${carried})`);

  const refreshed = await client.getTokens({ forceRefresh: true });
  console.log(`refreshed: new access token until ${new Date(refreshed.expiresAt).toISOString()}`);

  await client.signOut();
  console.log(`signed out; status ${client.getSnapshot().status}`);
  const after = await getCredentials(client);
  console.log(`after sign-out: guest again (authenticated ${after.authenticated}), identity ${after.identityId}`);
  client.dispose();
} finally {
  await emulator.stop();
}
