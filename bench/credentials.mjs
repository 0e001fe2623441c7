// Credentials figures against the emulator (built packages): what a cached getCredentials()
// costs, and how many round trips lie between a cold sign-in and AWS credentials.
import { performance } from "node:perf_hooks";
import { createAuthClient, createMemoryStorage, getCredentials } from "@cogkit/core";
import { startEmulator } from "@cogkit/emulator";

const password = "Corr3ct-Horse!";
// Every operation a sign-in and a credentials exchange could send.
const operations = ["InitiateAuth", "RespondToAuthChallenge", "GetTokensFromRefreshToken", "GetUser", "GetId", "GetCredentialsForIdentity"];

async function cachedCost(client, calls = 200_000) {
  for (let i = 0; i < 1_000; i++) await getCredentials(client);
  const start = performance.now();
  for (let i = 0; i < calls; i++) await getCredentials(client);
  return ((performance.now() - start) * 1e6) / calls;
}

export async function measureCredentials() {
  const emulator = await startEmulator({ quiet: true });
  try {
    const roundTrips = () => operations.reduce((sum, operation) => sum + emulator.callCount(operation), 0);
    const email = `bench.${Date.now()}@example.com`;
    const setup = createAuthClient(emulator.config, { platform: { storage: createMemoryStorage() } });
    await setup.signUp({ username: email, password, attributes: { email } });
    await setup.confirmSignUp({ username: email, code: emulator.outbox.latest(email).code });

    const storage = createMemoryStorage();
    const cold = createAuthClient(emulator.config, { platform: { storage } });
    let before = roundTrips();
    await cold.signIn({ username: email, password });
    await getCredentials(cold);
    const coldTrips = roundTrips() - before;

    // The same user on a device that keeps the identity id but no session.
    const key = `cogkit.${emulator.config.identityPoolId}.identity`;
    const known = createMemoryStorage();
    await known.setItem(key, await storage.getItem(key));
    const returning = createAuthClient(emulator.config, { platform: { storage: known } });
    before = roundTrips();
    await returning.signIn({ username: email, password });
    await getCredentials(returning);
    const knownTrips = roundTrips() - before;

    const guest = createAuthClient(emulator.config, { platform: { storage: createMemoryStorage() } });
    await getCredentials(guest);
    const rows = [
      { name: "cached getCredentials(), signed in", nsPerOp: await cachedCost(cold) },
      { name: "cached getCredentials(), guest", nsPerOp: await cachedCost(guest) },
    ];
    for (const client of [setup, cold, returning, guest]) client.dispose?.();
    return { rows, coldTrips, knownTrips };
  } finally {
    await emulator.stop();
  }
}
