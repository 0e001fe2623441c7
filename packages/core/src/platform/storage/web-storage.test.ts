import { afterEach, describe, expect, it } from "vitest";
import { createWebStorage } from "./web-storage.js";

/** A stand-in for the browser's Web Storage area. */
function createStorageArea(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (index: number) => [...items.keys()][index] ?? null,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
    clear: () => items.clear(),
  };
}

const globals = globalThis as { localStorage?: Storage; sessionStorage?: Storage };

afterEach(() => {
  delete globals.localStorage;
  delete globals.sessionStorage;
});

describe("createWebStorage", () => {
  it("uses localStorage for 'local' and sessionStorage for 'session'", () => {
    globals.localStorage = createStorageArea();
    globals.sessionStorage = createStorageArea();
    createWebStorage("local").setItem("k", "in local");
    createWebStorage("session").setItem("k", "in session");
    expect(globals.localStorage.getItem("k")).toBe("in local");
    expect(globals.sessionStorage.getItem("k")).toBe("in session");
    const local = createWebStorage();
    expect(local.getItem("k")).toBe("in local");
    local.removeItem("k");
    expect(globals.localStorage.getItem("k")).toBeNull();
  });

  it("reads the global at call time, so it can be created before the page has storage", () => {
    const storage = createWebStorage("local");
    expect(() => storage.getItem("k")).toThrow(TypeError);
    globals.localStorage = createStorageArea();
    storage.setItem("k", "v");
    expect(storage.getItem("k")).toBe("v");
  });

  it("says localStorage is shared by tabs and sessionStorage is not", () => {
    expect(createWebStorage("local").shared).toBe(true);
    expect(createWebStorage("session").shared).toBe(false);
  });

  it("rejects an unknown kind at once", () => {
    expect(() => createWebStorage("cookie" as never)).toThrow(TypeError);
  });
});
