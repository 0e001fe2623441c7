import { describe, expect, it } from "vitest";
import { createAsyncStorage } from "./async-storage.js";

describe("createAsyncStorage", () => {
  it("stores through an AsyncStorage-shaped object and reads missing values as null", async () => {
    const items = new Map<string, string>();
    const storage = createAsyncStorage({
      getItem: async (key) => items.get(key),
      setItem: async (key, value) => void items.set(key, value),
      removeItem: async (key) => void items.delete(key),
    });
    expect(await storage.getItem("k")).toBeNull();
    await storage.setItem("k", "v");
    expect(items.get("k")).toBe("v");
    expect(await storage.getItem("k")).toBe("v");
    await storage.removeItem("k");
    expect(items.has("k")).toBe(false);
  });

  it("rejects something that is not a store at once", () => {
    expect(() => createAsyncStorage({} as never)).toThrow(TypeError);
  });
});
