const latestTime = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The emulator's notion of now: the wall clock plus however far a test has moved it. */
export interface EmulatorClock {
  /** Milliseconds since the epoch, emulator time. */
  now(): number;
  /** Moves emulator time forward; expiries of tokens, codes and sessions follow. */
  advance(ms: number): number;
}

/**
 * Creates the clock every expiry check in the emulator reads.
 *
 * @example
 * const clock = createEmulatorClock();
 * clock.advance(25 * 60 * 60 * 1000); // sign-up codes are now expired
 */
export function createEmulatorClock(wallClock: () => number = () => Date.now()): EmulatorClock {
  let offset = 0;
  return {
    now: () => wallClock() + offset,
    advance(ms) {
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) throw new TypeError("advanceTime(ms) needs a finite, non-negative number of milliseconds");
      // Beyond year 9999, dates stop fitting ISO strings, SigV4's x-amz-date and Date itself
      // (at 8.64e15 ms): one absurd move would break every later call until a restart.
      if (wallClock() + offset + ms > latestTime) throw new TypeError("advanceTime(ms) would move emulator time past the year 9999");
      offset += ms;
      return wallClock() + offset;
    },
  };
}
