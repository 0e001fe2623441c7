import { describe, expect, it } from "vitest";
import type { KeyValueStorage } from "../types.js";
import { createSafeStorage, type StorageWarning } from "./safe-storage.js";

function quotaError() {
  return Object.assign(new Error("The quota has been exceeded."), { name: "QuotaExceededError" });
}

function mapStorage(items = new Map<string, string>()): KeyValueStorage {
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

describe("createSafeStorage", () => {
  it("passes through to a working storage", async () => {
    const items = new Map<string, string>();
    const storage = createSafeStorage(mapStorage(items));
    await storage.setItem("k", "v");
    expect(items.get("k")).toBe("v");
    expect(await storage.getItem("k")).toBe("v");
    expect(storage.degraded).toBe(false);
  });

  it("falls back to memory on a quota error, keeps the value and warns once", async () => {
    const warnings: StorageWarning[] = [];
    const full: KeyValueStorage = { ...mapStorage(), setItem: () => { throw quotaError(); } };
    const storage = createSafeStorage(full, { onWarning: (w) => warnings.push(w) });
    await expect(storage.setItem("k", "v")).resolves.toBeUndefined();
    expect(await storage.getItem("k")).toBe("v");
    await storage.setItem("k", "w");
    await storage.removeItem("k");
    expect(await storage.getItem("k")).toBeNull();
    expect(storage.degraded).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ type: "storageUnavailable", operation: "setItem", error: { name: "QuotaExceededError" } });
  });

  it.each([
    ["a SecurityError when reading", { getItem: () => { throw Object.assign(new Error("denied"), { name: "SecurityError" }); } }],
    ["a rejected promise", { getItem: () => Promise.reject(new Error("native module missing")) }],
    ["an error on remove", { removeItem: () => { throw new Error("nope"); } }],
  ])("never lets %s reach the caller", async (_name, override) => {
    const storage = createSafeStorage({ ...mapStorage(), ...override } as KeyValueStorage, {
      onWarning: () => {
        throw new Error("a broken warning handler");
      },
    });
    await expect(storage.removeItem("k")).resolves.toBeUndefined();
    await expect(storage.getItem("k")).resolves.toBeNull();
    await expect(storage.setItem("k", "v")).resolves.toBeUndefined();
    expect(await storage.getItem("k")).toBe("v");
    expect(storage.degraded).toBe(true);
  });
});
