// A deterministic Clock for tests: time moves only when the test says so.
import type { Clock, TimerHandle } from "../src/platform/types.js";

export interface TestClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order, letting promises settle after each. */
  advance(ms: number): Promise<void>;
  /** Moves time to `at` (see {@link TestClock.advance}). */
  advanceTo(at: number): Promise<void>;
  /** Timers scheduled and not yet fired or cleared. */
  pendingTimers(): number;
  /** When the earliest pending timer is due, if any. */
  nextTimerAt(): number | undefined;
}

/** Lets every pending promise chain run: one macrotask turn drains all microtasks before it. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function createTestClock(start = 1_700_000_000_000): TestClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();

  const clock: TestClock = {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle: TimerHandle) {
      timers.delete(handle as number);
    },
    pendingTimers: () => timers.size,
    nextTimerAt() {
      let earliest: number | undefined;
      for (const { at } of timers.values()) if (earliest === undefined || at < earliest) earliest = at;
      return earliest;
    },
    async advance(ms) {
      await clock.advanceTo(now + ms);
    },
    async advanceTo(target) {
      await settle();
      for (;;) {
        let due: [number, { at: number; callback: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= target && (due === undefined || entry[1].at < due[1].at)) due = entry;
        if (due === undefined) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].callback();
        await settle();
      }
      now = Math.max(now, target);
      await settle();
    },
  };
  return clock;
}
