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
      if (!Number.isFinite(ms) || ms < 0) throw new TypeError("advanceTime(ms) needs a finite, non-negative number of milliseconds");
      offset += ms;
      return wallClock() + offset;
    },
  };
}
