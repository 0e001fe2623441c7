// Session figures, from the built packages: the cost of getTokens() when the cached tokens
// are valid, and how many refresh calls N tabs sharing one session make per expiry (tabs
// simulated in this process: one storage, Node's BroadcastChannel, an in-process lock).
import { performance } from "node:perf_hooks";
import { createAuthClient, createFetchTransport, createMemoryStorage } from "@cogkit/core";
import { startEmulator } from "@cogkit/emulator";

const password = "Corr3ct-Horse!";

/** A clock whose time moves only when told, firing due timers in order. */
function createManualClock(start) {
  let now = start;
  let next = 1;
  const timers = new Map();
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = next++;
      timers.set(id, { at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout: (id) => void timers.delete(id),
    nextTimerAt: () => Math.min(...[...timers.values()].map((timer) => timer.at)),
    async advanceTo(target) {
      for (;;) {
        const due = [...timers].filter(([, timer]) => timer.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].callback();
        await turn();
      }
      now = Math.max(now, target);
      await turn();
    },
  };
}

/** Web Locks in one process: one holder per name, in request order. */
function createLocks() {
  const tails = new Map();
  return async (name, task) => {
    const previous = tails.get(name) ?? Promise.resolve();
    let release;
    tails.set(name, previous.then(() => new Promise((resolve) => (release = resolve))));
    await previous;
    try {
      return await task();
    } finally {
      release();
    }
  };
}

function nextEvent(client, type) {
  return new Promise((resolve) => {
    const off = client.subscribe((event) => {
      if (event.type === type) {
        off();
        resolve(event);
      }
    });
  });
}

/** ns per `await client.getTokens()` with valid cached tokens (median of rounds). */
async function measureGetTokens(emulator, { calls = 200_000, rounds = 5 } = {}) {
  const client = createAuthClient(emulator.config, { transport: createFetchTransport(emulator.config) });
  const username = `bench.hot.${Date.now()}@example.com`;
  await client.signUp({ username, password });
  await client.confirmSignUp({ username, code: emulator.outbox.latest(username).code });
  await client.signIn({ username, password, flow: "password" });
  for (let i = 0; i < 10_000; i++) await client.getTokens();
  const samples = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) await client.getTokens();
    samples.push(((performance.now() - start) * 1e6) / calls);
  }
  client.dispose();
  return samples.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

/**
 * Refresh calls per expiry for `tabs` clients sharing one session, over `expiries` expiries.
 * With a lock, the clock jumps to the next refresh timer. Without one, each tab refreshes at its
 * own random moment in the margin window, so time moves through the window in 100 ms steps, each
 * once the requests on their way have been answered: tabs whose moments fall within one step
 * both call, as tabs closer than a round trip would.
 */
async function measureTabs(tabCount, { expiries = 5, lock = true } = {}) {
  const emulator = await startEmulator({
    quiet: true,
    tokenValidity: { accessSeconds: 300, idSeconds: 300, refreshSeconds: 86_400 },
    refreshTokenRotation: { enabled: true, gracePeriodSeconds: 0 },
  });
  const clock = createManualClock(emulator.now());
  const storage = createMemoryStorage();
  const locks = createLocks();
  let inFlight = 0;
  const trackedFetch = async (input, init) => {
    inFlight++;
    try {
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  const quiet = async () => {
    while (inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  };
  const tabs = Array.from({ length: tabCount }, () =>
    createAuthClient(emulator.config, {
      transport: createFetchTransport({ ...emulator.config, platform: { fetch: trackedFetch } }),
      // No lock at all (not a no-op one): that is what a browser without Web Locks offers.
      platform: { clock, storage, lock: lock ? locks : undefined, broadcast: (name) => new BroadcastChannel(name) },
    }),
  );
  let signedOut = 0;
  for (const tab of tabs) tab.subscribe((event) => (signedOut += event.type === "sessionExpired" || event.type === "signedOut" ? 1 : 0));
  try {
    await Promise.all(tabs.map((tab) => tab.start()));
    const username = `bench.tabs.${tabCount}.${Date.now()}@example.com`;
    await tabs[0].signUp({ username, password });
    await tabs[0].confirmSignUp({ username, code: emulator.outbox.latest(username).code });
    const joined = tabs.slice(1).map((tab) => nextEvent(tab, "signedIn"));
    await tabs[0].signIn({ username, password, flow: "password" });
    await Promise.all(joined);
    const advanceTo = async (at) => {
      emulator.advanceTime(at - clock.now());
      await clock.advanceTo(at);
    };
    for (let i = 0; i < expiries; i++) {
      const refreshed = tabs.map((tab) => Promise.race([nextEvent(tab, "tokenRefreshed"), nextEvent(tab, "sessionExpired")]));
      if (lock) {
        await advanceTo(clock.nextTimerAt());
      } else {
        let done = false;
        void Promise.all(refreshed).then(() => (done = true));
        // The window opens 75 s before expiry (5-minute tokens): jump to just before it.
        const { expiresAt } = await tabs[0].getTokens();
        await advanceTo(Math.max(clock.now(), expiresAt - 75_100));
        while (!done) {
          await advanceTo(clock.now() + 100);
          await quiet();
        }
        await advanceTo(clock.now() + 3_000); // a refused tab's second look
        await quiet();
      }
      await Promise.all(refreshed);
    }
    return { calls: emulator.callCount("GetTokensFromRefreshToken") / expiries, signedOut };
  } finally {
    for (const tab of tabs) tab.dispose();
    await emulator.stop();
  }
}

export async function measureSession() {
  const emulator = await startEmulator({ quiet: true });
  let getTokensNs;
  try {
    getTokensNs = await measureGetTokens(emulator);
  } finally {
    await emulator.stop();
  }
  const tabs = [];
  for (const count of [1, 3, 10]) tabs.push({ tabs: count, lock: true, ...(await measureTabs(count)) });
  for (const count of [3, 10]) tabs.push({ tabs: count, lock: false, ...(await measureTabs(count, { expiries: 20, lock: false })) });
  return { getTokensNs, tabs };
}
