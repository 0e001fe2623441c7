/** Timers the writer uses; tests pass their own to fire them by hand. */
export interface WriterTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Schedules saves of the emulator's state so that a burst of changes is one write. */
export interface StateWriter {
  /** Something changed: a save follows after `delayMs`, shared with every change until then. */
  changed(): void;
  /** Saves now if anything changed (waiting for a save under way); rejects with the last failed save's error. */
  flush(): Promise<void>;
}

const systemTimers: WriterTimers = {
  set: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // A pending save never keeps a process alive; `stop()` flushes.
    timer.unref();
    return timer;
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Coalesces saves: changes mark the state dirty and start one timer; when it fires, one
 * save writes everything so far. Saves never overlap — changes during a save are written
 * by the next one. A failed save is reported to `onError` (the process keeps serving) and
 * its error is what the next `flush()` rejects with, unless a later save succeeds.
 *
 * @example
 * const writer = createStateWriter({ save: () => writeStateFile(path, snapshot()), delayMs: 200 });
 * writer.changed();
 * await writer.flush(); // in stop()
 */
export function createStateWriter(options: { save: () => Promise<void>; delayMs: number; timers?: WriterTimers; onError?: (error: unknown) => void }): StateWriter {
  const timers = options.timers ?? systemTimers;
  let dirty = false;
  let timer: unknown;
  let running: Promise<void> | undefined;
  let failure: unknown;
  const run = async (): Promise<void> => {
    while (running) await running;
    if (!dirty) return;
    dirty = false;
    running = options.save().then(
      () => void (failure = undefined),
      (error: unknown) => {
        failure = error;
        options.onError?.(error);
      },
    );
    try {
      await running;
    } finally {
      running = undefined;
    }
  };
  return {
    changed() {
      dirty = true;
      timer ??= timers.set(() => {
        timer = undefined;
        void run();
      }, options.delayMs);
    },
    async flush() {
      if (timer !== undefined) {
        timers.clear(timer);
        timer = undefined;
      }
      await run();
      if (failure !== undefined) throw failure;
    },
  };
}
