// Setup file for every test project: a public call must never leave a rejection that nobody
// handles. Vitest reports such rejections for the run as a whole, and only while no other
// process listener exists; this trap listens during each test, so that it names the test
// during which a rejection surfaced and fails it. Outside tests, Vitest's own report stands.
import { afterEach, beforeEach } from "vitest";

const trapped: unknown[] = [];
const trap = (reason: unknown) => void trapped.push(reason);

beforeEach(() => {
  process.on("unhandledRejection", trap);
});

afterEach(() => {
  process.off("unhandledRejection", trap);
  const reasons = trapped.splice(0);
  if (reasons.length > 0) {
    const described = reasons.map((reason) => (reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)));
    throw new Error(`${reasons.length} unhandled rejection(s) during this test: ${described.join("; ")}`);
  }
});
