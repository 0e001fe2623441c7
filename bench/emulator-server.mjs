// The emulator under load, in its own process (run with --expose-gc) so the bench's clients
// do not share its thread or heap. Told over IPC how many users to seed; answers with its
// URL, the pool's name and the heap the users cost; and its CPU time when asked, which a
// loaded machine disturbs less than requests per second.
import { startEmulator } from "@cogkit/emulator";

const heapUsed = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

const emulator = await startEmulator({ quiet: true });

process.on("message", async (message) => {
  if (message.type === "seed") {
    const seed = (i) => emulator.createUser({ username: `user${i}@example.com`, password: message.password, attributes: { email_verified: "true" } });
    // One user first, so what is made on first use (the DH context, ...) is not counted.
    seed("warm-up");
    const before = heapUsed();
    const start = performance.now();
    for (let i = 0; i < message.users; i++) seed(i);
    const seedMs = performance.now() - start;
    const after = heapUsed();
    process.send({ type: "seeded", url: emulator.url, clientId: emulator.config.userPoolClientId, poolId: emulator.config.userPoolId, seedMs, heapPerUser: (after - before) / message.users });
  } else if (message.type === "cpu") {
    const { user, system } = process.cpuUsage();
    process.send({ type: "cpu", ms: (user + system) / 1000 });
  } else if (message.type === "stop") {
    await emulator.stop();
    process.exit(0);
  }
});
process.send({ type: "ready" });

