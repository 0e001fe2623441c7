import { spawnSync } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { isAuthError } from "@cogkit/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cogkitConfigDir } from "./config-dir.js";
import { acquireFileLock, createFileLock } from "./file-lock.js";
import { createFileStorage } from "./file-storage.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cogkit-storage-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("cogkitConfigDir", () => {
  it("is $XDG_CONFIG_HOME/cogkit, else ~/.config/cogkit (a relative XDG_CONFIG_HOME ignored)", () => {
    expect(cogkitConfigDir({ XDG_CONFIG_HOME: "/x/conf" })).toBe("/x/conf/cogkit");
    expect(cogkitConfigDir({ XDG_CONFIG_HOME: "relative" })).toMatch(/\/\.config\/cogkit$/);
    expect(cogkitConfigDir({})).toMatch(/\/\.config\/cogkit$/);
  });
});

describe("createFileStorage", () => {
  it("keeps entries in one file per profile and client, 0600 in a 0700 directory, and no temporary file behind", async () => {
    const storage = createFileStorage({ dir: join(dir, "cogkit"), profile: "work", clientId: "client1" });
    expect(storage.path).toBe(join(dir, "cogkit", "work.client1.json"));
    expect(await storage.getItem("a")).toBeNull();
    await storage.setItem("a", "1");
    await storage.setItem("b", "2");
    expect(await storage.getItem("a")).toBe("1");
    expect(await storage.readAll()).toEqual({ a: "1", b: "2" });
    expect((await stat(storage.path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "cogkit"))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(dir, "cogkit"))).toEqual(["work.client1.json"]);
    const other = createFileStorage({ dir: join(dir, "cogkit"), profile: "home", clientId: "client1" });
    expect(await other.getItem("a")).toBeNull();
    await storage.removeItem("a");
    await storage.removeItem("b");
    expect(await readdir(join(dir, "cogkit"))).toEqual([]);
  });

  it("reads a corrupted file as empty, with a warning naming it, and replaces it at the next write", async () => {
    const warnings: string[] = [];
    const storage = createFileStorage({ dir, clientId: "c", onWarning: (message) => warnings.push(message) });
    await writeFile(storage.path, "{ this is not json");
    expect(await storage.getItem("cogkit.c.session")).toBeNull();
    expect(warnings).toEqual([expect.stringContaining(storage.path)]);
    expect(warnings[0]).toMatch(/corrupted/);
    await storage.setItem("k", "v");
    expect(JSON.parse(await readFile(storage.path, "utf8"))).toEqual({ v: 1, entries: { k: "v" } });
    await writeFile(storage.path, JSON.stringify({ v: 99, entries: {} }));
    expect(await storage.getItem("k")).toBeNull();
    expect(warnings).toHaveLength(2);
  });

  it("warns by default through process warnings", async () => {
    const storage = createFileStorage({ dir, clientId: "c" });
    await writeFile(storage.path, "garbage");
    const warned = new Promise<Error>((resolve) => process.once("warning", resolve));
    expect(await storage.getItem("k")).toBeNull();
    expect((await warned).message).toContain(storage.path);
  });

  it("loses no key when many writers (two storages on one file) write at once", async () => {
    const a = createFileStorage({ dir, clientId: "c" });
    const b = createFileStorage({ dir, clientId: "c" });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).setItem(`k${i}`, String(i))));
    expect(Object.keys(await a.readAll())).toHaveLength(20);
    expect((await readdir(dir)).filter((name) => !name.endsWith(".json"))).toEqual([]);
  });
});

describe("createFileStorage, on what it does not own", () => {
  // Tests run as root here, which may give a file away to another user.
  const someoneElse = (process.getuid?.() ?? 0) + 4242;
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(isAuthError(error, "ERR_INVALID_CONFIG")).toBe(true);
    return (error as Error).message;
  };

  it("refuses a directory owned by another user, for reads and writes, naming it", async () => {
    const storage = createFileStorage({ dir, clientId: "c" });
    await storage.setItem("k", "v");
    await chown(dir, someoneElse, someoneElse);
    const message = await refusal(storage.getItem("k"));
    expect(message).toContain(dir);
    expect(message).toMatch(/owned by uid \d+, not by you/);
    await refusal(storage.setItem("k", "w"));
    await refusal(storage.readAll());
  });

  it("refuses a directory that its group or others may write to, and says how to fix it", async () => {
    const storage = createFileStorage({ dir, clientId: "c" });
    await storage.setItem("k", "v");
    for (const mode of [0o770, 0o707]) {
      await chmod(dir, mode);
      expect(await refusal(storage.getItem("k"))).toMatch(/can be written by (its group|anyone).*chmod 700/);
      await refusal(storage.removeItem("k"));
    }
    await chmod(dir, 0o700);
    expect(await storage.getItem("k")).toBe("v");
  });

  it("refuses a session file owned by another user or writable by others, and leaves it alone", async () => {
    const storage = createFileStorage({ dir, clientId: "c" });
    await storage.setItem("k", "v");
    await chown(storage.path, someoneElse, someoneElse);
    expect(await refusal(storage.getItem("k"))).toContain(storage.path);
    await refusal(storage.setItem("k", "planted"));
    await chown(storage.path, process.getuid!(), process.getgid!());
    await chmod(storage.path, 0o622);
    expect(await refusal(storage.readAll())).toMatch(/chmod 600/);
    await chmod(storage.path, 0o600);
    expect(await storage.getItem("k")).toBe("v");
  });

  it("removes at the next write the temporary files that crashed writers left, tokens and all", async () => {
    const storage = createFileStorage({ dir, clientId: "c" });
    await storage.setItem("k", "v");
    // What a writer killed between writing its temporary file and renaming it leaves behind.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    await writeFile(`${storage.path}.${dead}.0badf00d.tmp`, JSON.stringify({ v: 1, entries: { k: "refresh-token" } }), { mode: 0o600 });
    await writeFile(`${storage.path}.${process.pid}.deadbeef.tmp`, "half a file", { mode: 0o600 });
    const otherProfile = join(dir, "other.c.json.1.aa.tmp");
    await writeFile(otherProfile, "not this file's");
    await storage.setItem("k", "w");
    expect((await readdir(dir)).sort()).toEqual(["default.c.json", "other.c.json.1.aa.tmp"]);
  });

  it("leaves nothing on disk once its last entry is removed (a logout), crashed writers' files included", async () => {
    const storage = createFileStorage({ dir: join(dir, "cogkit"), clientId: "c" });
    await storage.setItem("session", "tokens");
    await writeFile(`${storage.path}.123.abcdef01.tmp`, "tokens", { mode: 0o600 });
    await storage.removeItem("session");
    expect(await readdir(join(dir, "cogkit"))).toEqual([]);
  });

  it("reads a missing directory as empty and creates it private at the first write", async () => {
    const storage = createFileStorage({ dir: join(dir, "new", "cogkit"), clientId: "c" });
    expect(await storage.readAll()).toEqual({});
    await storage.setItem("k", "v");
    expect((await stat(join(dir, "new", "cogkit"))).mode & 0o777).toBe(0o700);
    await mkdir(join(dir, "shared"), { mode: 0o777 });
    await chmod(join(dir, "shared"), 0o777);
    await refusal(createFileStorage({ dir: join(dir, "shared"), clientId: "c" }).setItem("k", "v"));
    expect(await readdir(join(dir, "shared"))).toEqual([]);
  });
});

describe("acquireFileLock", () => {
  it("lets one holder in at a time", async () => {
    const path = join(dir, "x.lock");
    const order: string[] = [];
    const first = await acquireFileLock(path);
    const second = acquireFileLock(path).then((release) => (order.push("second acquired"), release));
    await new Promise((resolve) => setImmediate(resolve));
    order.push("first releasing");
    await first();
    await (await second)();
    expect(order).toEqual(["first releasing", "second acquired"]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("breaks at once a lock whose owner process is dead", async () => {
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    const path = join(dir, "x.lock");
    await writeFile(path, `${dead}\n${hostname()}\nabc\n`);
    const release = await acquireFileLock(path, { timeoutMs: 1_000 });
    expect(await readFile(path, "utf8")).toContain(`${process.pid}\n`);
    await release();
  });

  it("breaks a lock of a live owner untouched for staleMs, and waits for a fresh one until the timeout", async () => {
    const path = join(dir, "x.lock");
    await writeFile(path, `${process.pid}\n${hostname()}\nother\n`);
    await expect(acquireFileLock(path, { timeoutMs: 50 })).rejects.toThrow(/Timed out/);
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    const release = await acquireFileLock(path, { timeoutMs: 1_000, staleMs: 30_000 });
    await release();
  });

  it("serves as core's platform lock: tasks of one name run one at a time", async () => {
    const lock = createFileLock({ dir, profile: "p" });
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return "done";
    };
    expect(await Promise.all([lock("cogkit.c.refresh", task), lock("cogkit.c.refresh", task), lock("cogkit.c.refresh", task)])).toEqual(["done", "done", "done"]);
    expect(most).toBe(1);
  });
});
