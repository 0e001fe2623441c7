import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultPlatform } from "./default-platform.js";

afterEach(() => vi.unstubAllGlobals());

/** A Web Locks stand-in that honours `signal` while waiting, as browsers do. */
function fakeLocks() {
  const held = new Set<string>();
  const queue: Array<() => void> = [];
  const request = vi.fn((name: string, options: { signal?: AbortSignal }, task: () => Promise<unknown>) => {
    const run = async () => {
      held.add(name);
      try {
        return await task();
      } finally {
        held.delete(name);
        queue.shift()?.();
      }
    };
    if (!held.has(name)) return run();
    return new Promise((resolve, reject) => {
      const go = () => run().then(resolve, reject);
      queue.push(go);
      options.signal?.addEventListener("abort", () => {
        queue.splice(queue.indexOf(go), 1);
        reject(options.signal!.reason);
      });
    });
  });
  return { request };
}

describe("defaultPlatform", () => {
  it("has no lock where there are no Web Locks, so the session knows to stagger its tabs", () => {
    expect(globalThis.navigator?.locks).toBeUndefined();
    expect(defaultPlatform().lock).toBeUndefined();
  });

  it("uses navigator.locks read at call time, and rejects a wait longer than timeoutMs", async () => {
    const platform = defaultPlatform();
    const locks = fakeLocks();
    vi.stubGlobal("navigator", { locks });
    let release!: () => void;
    const holder = platform.lock!("cogkit.app.refresh", () => new Promise<void>((resolve) => (release = resolve)));
    const waiter = platform.lock!("cogkit.app.refresh", async () => "never", { timeoutMs: 20 });
    await expect(waiter).rejects.toMatchObject({ name: "TimeoutError" });
    release();
    await holder;
    expect(locks.request).toHaveBeenCalledTimes(2);
    expect(locks.request.mock.calls[1]![0]).toBe("cogkit.app.refresh");
  });

  it("opens a BroadcastChannel only in a page: in a server it would join every client of the process", () => {
    const platform = defaultPlatform();
    expect(platform.broadcast!("cogkit.app.session")).toBeUndefined();
    vi.stubGlobal("document", {});
    const channel = platform.broadcast!("cogkit.app.session");
    expect(channel).toBeInstanceOf(BroadcastChannel);
    channel!.close();
  });

  it("unrefs its timers, so a pending refresh never keeps a Node process alive", () => {
    const { clock } = defaultPlatform();
    const handle = clock.setTimeout(() => undefined, 60_000) as NodeJS.Timeout;
    expect(handle.hasRef()).toBe(false);
    clock.clearTimeout(handle);
  });

  it("keeps a timer that a caller awaits ref'd, so Node does not exit mid-call", () => {
    const { clock } = defaultPlatform();
    const handle = clock.setTimeout(() => undefined, 60_000, { keepAlive: true }) as NodeJS.Timeout;
    expect(handle.hasRef()).toBe(true);
    clock.clearTimeout(handle);
  });
});
