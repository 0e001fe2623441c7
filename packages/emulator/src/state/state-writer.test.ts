import { describe, expect, it } from "vitest";
import { createStateWriter, type WriterTimers } from "./state-writer.js";

/** Timers fired by hand. */
function manualTimers(): WriterTimers & { fire(): void; pending(): number } {
  const callbacks = new Map<number, () => void>();
  let next = 0;
  return {
    set: (callback) => (callbacks.set(++next, callback), next),
    clear: (handle) => void callbacks.delete(handle as number),
    fire() {
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const callback of due) callback();
    },
    pending: () => callbacks.size,
  };
}

describe("createStateWriter", () => {
  it("writes a burst of changes once", async () => {
    const timers = manualTimers();
    let saves = 0;
    const writer = createStateWriter({ save: async () => void saves++, delayMs: 200, timers });
    for (let i = 0; i < 50; i++) writer.changed();
    expect(timers.pending()).toBe(1);
    timers.fire();
    await writer.flush();
    expect(saves).toBe(1);
  });

  it("never runs two saves at once, and writes changes made during a save by the next one", async () => {
    const timers = manualTimers();
    let running = 0;
    let most = 0;
    let release!: () => void;
    const saves: number[] = [];
    const writer = createStateWriter({
      delayMs: 200,
      timers,
      save: async () => {
        most = Math.max(most, ++running);
        if (saves.length === 0) await new Promise<void>((resolve) => (release = resolve));
        saves.push(saves.length);
        running--;
      },
    });
    writer.changed();
    timers.fire();
    writer.changed(); // during the first save
    const flushed = writer.flush();
    release();
    await flushed;
    expect(saves).toEqual([0, 1]);
    expect(most).toBe(1);
  });

  it("writes nothing on flush when nothing changed", async () => {
    let saves = 0;
    const writer = createStateWriter({ save: async () => void saves++, delayMs: 200, timers: manualTimers() });
    await writer.flush();
    expect(saves).toBe(0);
  });

  it("reports a failed save and rejects the next flush with it, until a save succeeds", async () => {
    const timers = manualTimers();
    const reported: unknown[] = [];
    let fail = true;
    const writer = createStateWriter({
      delayMs: 200,
      timers,
      save: async () => {
        if (fail) throw new Error("disk full");
      },
      onError: (error) => reported.push(error),
    });
    writer.changed();
    await expect(writer.flush()).rejects.toThrow("disk full");
    expect(reported).toHaveLength(1);
    fail = false;
    writer.changed();
    await expect(writer.flush()).resolves.toBeUndefined();
  });
});
