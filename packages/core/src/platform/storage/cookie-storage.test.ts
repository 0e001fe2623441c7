import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCookieStorage } from "./cookie-storage.js";

/** A stand-in for the browser's cookie jar: `document.cookie` semantics for one page. */
function createCookieJar() {
  const cookies = new Map<string, { value: string; attributes: string[] }>();
  const writes: string[] = [];
  return {
    cookies,
    writes,
    get cookie() {
      return [...cookies].map(([name, { value }]) => `${name}=${value}`).join("; ");
    },
    set cookie(text: string) {
      writes.push(text);
      const [pair = "", ...attributes] = text.split(";").map((part) => part.trim());
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      // Browsers ignore a cookie whose name and value exceed 4096 bytes.
      if (new TextEncoder().encode(name + value).length > 4096) return;
      const maxAge = attributes.find((a) => a.startsWith("Max-Age="));
      if (maxAge !== undefined && Number(maxAge.slice(8)) <= 0) cookies.delete(name);
      else cookies.set(name, { value, attributes });
    },
  };
}

describe("createCookieStorage", () => {
  it("says cookies are shared by tabs", () => {
    expect(createCookieStorage({ document: { cookie: "" } }).shared).toBe(true);
  });

  it("stores, reads and removes a short value", () => {
    const jar = createCookieJar();
    const storage = createCookieStorage({ document: jar });
    expect(storage.getItem("k")).toBeNull();
    storage.setItem("k", "hello; world=1");
    expect(storage.getItem("k")).toBe("hello; world=1");
    storage.removeItem("k");
    expect(storage.getItem("k")).toBeNull();
    expect(jar.cookies.size).toBe(0);
  });

  it("splits a long value into chunks under 4 KB each and reassembles it", () => {
    const jar = createCookieJar();
    const storage = createCookieStorage({ document: jar });
    const value = "é".repeat(2000) + "x".repeat(9000);
    storage.setItem("cogkit.client.session", value);
    expect(storage.getItem("cogkit.client.session")).toBe(value);
    expect(jar.cookies.size).toBeGreaterThan(4);
    for (const [name, { value: part }] of jar.cookies) expect(name.length + part.length).toBeLessThanOrEqual(4000);
  });

  it("removes the chunks a shorter value no longer needs", () => {
    const jar = createCookieJar();
    const storage = createCookieStorage({ document: jar });
    storage.setItem("k", "a".repeat(20_000));
    storage.setItem("k", "short");
    expect([...jar.cookies.keys()].sort()).toEqual(["__Host-k", "__Host-k.0"]);
    expect(storage.getItem("k")).toBe("short");
  });

  it("reads a value with a missing chunk as nothing rather than half a value", () => {
    const jar = createCookieJar();
    const storage = createCookieStorage({ document: jar });
    storage.setItem("k", "a".repeat(10_000));
    jar.cookies.delete("__Host-k.1");
    expect(storage.getItem("k")).toBeNull();
  });

  it("round-trips any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 3000 }), (value) => {
        const storage = createCookieStorage({ document: createCookieJar() });
        storage.setItem("key with spaces=;", value);
        expect(storage.getItem("key with spaces=;")).toBe(value);
      }),
      { numRuns: 200 },
    );
  });

  it("writes Secure and SameSite=Lax by default, and the attributes asked for", () => {
    const jar = createCookieJar();
    createCookieStorage({ document: jar }).setItem("k", "v");
    expect(jar.writes[0]).toBe("__Host-k.0=v; Path=/; Max-Age=31536000; Secure; SameSite=Lax");
    jar.writes.length = 0;
    createCookieStorage({ document: jar, domain: "example.com", path: "/app", secure: false, sameSite: "strict", expiresDays: 1 }).setItem("k", "v");
    expect(jar.writes[0]).toBe("k.0=v; Path=/app; Domain=example.com; Max-Age=86400; SameSite=Strict");
  });

  it("rejects SameSite=None without Secure at once", () => {
    expect(() => createCookieStorage({ sameSite: "none", secure: false })).toThrow(TypeError);
  });

  it("reads the global document at call time, not at creation", () => {
    const storage = createCookieStorage();
    expect(() => storage.getItem("k")).toThrow(TypeError);
    const jar = createCookieJar();
    (globalThis as { document?: unknown }).document = jar;
    try {
      storage.setItem("k", "v");
      expect(jar.cookies.get("__Host-k.0")?.value).toBe("v");
    } finally {
      delete (globalThis as { document?: unknown }).document;
    }
  });

  describe("against planted or hostile cookies", () => {
    it("treats a planted chunk count beyond 16 as corrupt, and writes without looping over it", () => {
      const jar = createCookieJar();
      // A sibling site or a script planted the count; the write must not erase 500 million chunks.
      jar.cookie = "__Host-cogkit.client.session=500000000";
      const storage = createCookieStorage({ document: jar });
      expect(storage.getItem("cogkit.client.session")).toBeNull();
      jar.writes.length = 0;
      storage.setItem("cogkit.client.session", "fresh");
      expect(jar.writes.length).toBeLessThanOrEqual(3);
      expect(storage.getItem("cogkit.client.session")).toBe("fresh");
      jar.cookie = "__Host-cogkit.client.session=17";
      expect(storage.getItem("cogkit.client.session")).toBeNull();
      jar.writes.length = 0;
      storage.removeItem("cogkit.client.session");
      expect(jar.writes.length).toBeLessThanOrEqual(17);
    });

    it("erases only the chunks it could have written, whatever count is planted", () => {
      const jar = createCookieJar();
      const storage = createCookieStorage({ document: jar, secure: false });
      jar.cookie = "k=5000";
      jar.writes.length = 0;
      storage.setItem("k", "fresh");
      storage.removeItem("k");
      expect(jar.writes.length).toBeLessThanOrEqual(5);
      expect(jar.cookies.size).toBe(0);
    });

    it("refuses a value that would need more than 16 cookies, writing nothing", () => {
      const jar = createCookieJar();
      const storage = createCookieStorage({ document: jar });
      storage.setItem("k", "kept");
      jar.writes.length = 0;
      expect(() => storage.setItem("k", "x".repeat(16 * 4000))).toThrow(/more than 16 cookies/);
      expect(jar.writes).toEqual([]);
      expect(storage.getItem("k")).toBe("kept");
    });

    it("names host-only cookies with the __Host- prefix, so no subdomain can plant or overwrite them", () => {
      const jar = createCookieJar();
      const storage = createCookieStorage({ document: jar });
      storage.setItem("k", "v");
      expect(jar.writes).toEqual(["__Host-k.0=v; Path=/; Max-Age=31536000; Secure; SameSite=Lax", "__Host-k=1; Path=/; Max-Age=31536000; Secure; SameSite=Lax"]);
      // A cookie without the prefix, as a subdomain could set, is not the session.
      jar.cookies.clear();
      jar.cookie = "k.0=planted; Path=/";
      jar.cookie = "k=1; Path=/";
      expect(storage.getItem("k")).toBeNull();
    });

    it("does without the prefix where browsers would refuse it: a domain, a path other than /, or plain http", () => {
      for (const options of [{ domain: "example.com" }, { path: "/app" }, { secure: false }]) {
        const jar = createCookieJar();
        createCookieStorage({ document: jar, ...options }).setItem("k", "v");
        expect(jar.writes[0]).toMatch(/^k\.0=v;/);
      }
    });

    it.each([
      ["domain", { domain: "example.com; Domain=evil.test" }],
      ["domain", { domain: "example.com, x=y" }],
      ["domain", { domain: "exa mple.com" }],
      ["domain", { domain: "" }],
      ["path", { path: "/; Domain=evil.test" }],
      ["path", { path: "app" }],
      ["path", { path: "/a\nb" }],
    ])("refuses a %s that would inject cookie attributes (%j) with a TypeError naming it", (name, options) => {
      expect(() => createCookieStorage({ document: createCookieJar(), ...options })).toThrow(new RegExp(`\\b${name}\\b`));
    });
  });
});
