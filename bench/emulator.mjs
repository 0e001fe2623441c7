// Emulator throughput at 100 and 10,000 users: full USER_SRP_AUTH sign-ins (InitiateAuth then
// RespondToAuthChallenge, by email) and GetUser per second with 1, 10 and 100 concurrent
// clients, the emulator's CPU time per request (steadier than rates on a shared machine), and
// the heap each seeded user costs. Each pool is an emulator in its own process, measured in
// alternating slices with the others; the clients here do their SRP maths natively and
// sparingly, so they are not what is measured.
import { fork } from "node:child_process";
import { webcrypto } from "node:crypto";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { claimSignature, computeU, computeX, deriveKey, smallA, srpGroup, srpTimestamp } from "@cogkit/core";
import { nativeModPow } from "@cogkit/node";

const password = "Corr3ct-Horse!";
const subtle = webcrypto.subtle;
const server = fileURLToPath(new URL("./emulator-server.mjs", import.meta.url));

function startServer() {
  // BENCH_PROF=<dir> writes each emulator process's CPU profile there, to see where its time goes.
  const profile = process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = fork(server, [], { execArgv: ["--expose-gc", ...profile], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = (type) =>
    new Promise((resolve, reject) => {
      const onMessage = (message) => {
        if (message.type !== type) return;
        child.off("message", onMessage).off("exit", onExit);
        resolve(message);
      };
      const onExit = (code) => reject(new Error(`the emulator process exited with ${code}`));
      child.on("message", onMessage).once("exit", onExit);
    });
  return {
    ready: next("ready"),
    async ask(message, answer) {
      const reply = next(answer);
      child.send(message);
      return reply;
    },
    async stop() {
      child.send({ type: "stop" });
      await once(child, "exit");
    },
  };
}

function createCaller(url) {
  return async (target, body) => {
    const response = await fetch(`${url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${target}` },
      body: JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${target}: ${json.__type} ${json.message}`);
    return json;
  };
}

// The load generator's SRP keeps its `a` (and A) for the whole run and each user's x and g^x:
// unsafe for a real client, but it leaves one modPow per sign-in here against the emulator's
// three, so with two cores the emulator, not its clients, is what runs out.
const { N, g, k } = srpGroup();
const a = smallA(webcrypto.getRandomValues(new Uint8Array(32)));
const A = nativeModPow(g, a, N);
const known = new Map();

async function signIn(call, pool, email) {
  const started = await call("InitiateAuth", {
    ClientId: pool.clientId,
    AuthFlow: "USER_SRP_AUTH",
    AuthParameters: { USERNAME: email, SRP_A: A.toString(16) },
  });
  const p = started.ChallengeParameters;
  const poolName = pool.poolId.split("_")[1];
  let user = known.get(`${p.USER_ID_FOR_SRP}:${p.SALT}`);
  if (!user) {
    const x = await computeX({ subtle, salt: BigInt(`0x${p.SALT}`), poolName, userId: p.USER_ID_FOR_SRP, password });
    user = { x, gx: nativeModPow(g, x, N) };
    known.set(`${p.USER_ID_FOR_SRP}:${p.SALT}`, user);
  }
  const B = BigInt(`0x${p.SRP_B}`);
  const u = await computeU(subtle, A, B);
  const S = nativeModPow((((B - k * user.gx) % N) + N) % N, a + u * user.x, N);
  const key = await deriveKey(subtle, S, u);
  const timestamp = srpTimestamp(Date.now());
  const signature = await claimSignature({ subtle, key, poolName, userId: p.USER_ID_FOR_SRP, secretBlock: p.SECRET_BLOCK, timestamp });
  const done = await call("RespondToAuthChallenge", {
    ClientId: pool.clientId,
    ChallengeName: "PASSWORD_VERIFIER",
    Session: started.Session,
    ChallengeResponses: { USERNAME: p.USER_ID_FOR_SRP, PASSWORD_CLAIM_SIGNATURE: signature, PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, TIMESTAMP: timestamp },
  });
  return done.AuthenticationResult.AccessToken;
}

/** Runs `clients` loops of `task` for `ms` after a short warm-up; counts completions and the emulator's CPU time. */
async function run(child, clients, ms, task) {
  let count = 0;
  let measuring = false;
  let stopAt = Date.now() + Math.min(250, ms / 4);
  const loop = async (id) => {
    while (Date.now() < stopAt) {
      await task(id);
      if (measuring) count++;
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, id) => loop(id)));
  measuring = true;
  const cpuBefore = (await child.ask({ type: "cpu" }, "cpu")).ms;
  const start = performance.now();
  stopAt = Date.now() + ms;
  await Promise.all(Array.from({ length: clients }, (_, id) => loop(id)));
  return { count, seconds: (performance.now() - start) / 1000, cpuMs: (await child.ask({ type: "cpu" }, "cpu")).ms - cpuBefore };
}

/**
 * Requests per second and emulator CPU ms per request of `task` on every pool, measured in
 * alternating slices, so a machine whose load comes and goes disturbs all pools alike.
 */
async function compare(pools, clients, ms, rounds, task) {
  const totals = pools.map(() => ({ count: 0, seconds: 0, cpuMs: 0 }));
  for (let round = 0; round < rounds; round++) {
    for (const [i, pool] of pools.entries()) {
      const slice = await run(pool.child, clients, ms / rounds, (id) => task(pool, id));
      for (const key of ["count", "seconds", "cpuMs"]) totals[i][key] += slice[key];
    }
  }
  return totals.map((t) => ({ clients, perSecond: t.count / t.seconds, cpuMs: t.cpuMs / t.count }));
}

export async function measureEmulator({ sizes = [100, 10_000], concurrency = [1, 10, 100], ms = 3000, rounds = 4 } = {}) {
  const pools = [];
  try {
    for (const users of sizes) {
      const child = startServer();
      pools.push({ child });
      await child.ready;
      const pool = await child.ask({ type: "seed", users, password }, "seeded");
      const call = createCaller(pool.url);
      // 100 users spread over the whole pool sign in, each once before the clock starts: seeded
      // users get their SRP verifier at their first sign-in, and steady state is what is measured.
      const signers = Array.from({ length: 100 }, (_, i) => `user${Math.floor((i * users) / 100)}@example.com`);
      for (let i = 0; i < signers.length; i += 10) await Promise.all(signers.slice(i, i + 10).map((login) => signIn(call, pool, login)));
      const tokens = await Promise.all(Array.from({ length: Math.max(...concurrency) }, (_, i) => signIn(call, pool, signers[i % signers.length])));
      Object.assign(pools.at(-1), { users, pool, call, signers, tokens });
    }
    const rows = pools.map(({ users, pool }) => ({ users, seedMs: pool.seedMs, heapPerUser: pool.heapPerUser, signIns: [], getUser: [] }));
    const signIns = ({ call, pool, signers }) => signIn(call, pool, signers[Math.floor(Math.random() * signers.length)]);
    const getUser = ({ call, tokens }, id) => call("GetUser", { AccessToken: tokens[id] });
    for (const [field, task] of [["signIns", signIns], ["getUser", getUser]]) {
      for (const clients of concurrency) (await compare(pools, clients, ms, rounds, task)).forEach((figure, i) => rows[i][field].push(figure));
    }
    return { rows };
  } finally {
    await Promise.all(pools.map(({ child }) => child.stop()));
  }
}

/** Prints the figures `measureEmulator` returns. */
export function printEmulator({ rows }) {
  const header = (label) => `  ${label.padEnd(34)}${rows[0].signIns.map((r) => `${`${r.clients} client${r.clients === 1 ? "" : "s"}`.padStart(12)}`).join("")}`;
  console.log(header("requests/s"));
  for (const row of rows) {
    const line = (label, values) => console.log(`  ${label.padEnd(34)}${values.map((r) => r.perSecond.toFixed(0).padStart(12)).join("")}`);
    line(`SRP sign-ins, ${row.users} users`, row.signIns);
    line(`GetUser, ${row.users} users`, row.getUser);
  }
  console.log(header("emulator CPU ms per request"));
  for (const row of rows) {
    const line = (label, values) => console.log(`  ${label.padEnd(34)}${values.map((r) => r.cpuMs.toFixed(2).padStart(12)).join("")}`);
    line(`SRP sign-in (2 calls), ${row.users} users`, row.signIns);
    line(`GetUser, ${row.users} users`, row.getUser);
  }
  for (const row of rows) {
    console.log(`  ${row.users} users: seeded in ${row.seedMs.toFixed(0)} ms, heap per user ${(row.heapPerUser / 1024).toFixed(2)} KB`);
  }
  const [small, large] = [rows[0], rows.at(-1)];
  if (small !== large) {
    const mean = (pick, field) => pick(large).reduce((sum, r, i) => sum + r[field] / pick(small)[i][field], 0) / pick(large).length;
    const ratios = (field) => `sign-ins ${mean((r) => r.signIns, field).toFixed(2)}, GetUser ${mean((r) => r.getUser, field).toFixed(2)}`;
    console.log(`  ${large.users} / ${small.users} users, requests/s: ${ratios("perSecond")} (goal ≥ 0.90); CPU per request: ${ratios("cpuMs")} (goal ≤ 1.10)`);
  }
}

// `node bench/emulator.mjs` alone prints just these figures.
if (process.argv[1] === fileURLToPath(import.meta.url)) printEmulator(await measureEmulator());
