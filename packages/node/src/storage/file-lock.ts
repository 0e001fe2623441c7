import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rename, stat, unlink, utimes } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { LockManager } from "@cogkit/core";
import { fileNamePart } from "./config-dir.js";

/** Options of {@link acquireFileLock}. */
export interface FileLockOptions {
  /** Give up waiting after this long (rejects); default 10 s. */
  timeoutMs?: number;
  /** A lock not touched for this long is stale (its holder hung or its machine died); default 15 s. */
  staleMs?: number;
}

/** Releases a lock taken by {@link acquireFileLock}; safe to call twice. */
export type ReleaseFileLock = () => Promise<void>;

/**
 * Takes an exclusive lock between processes: a file created with `O_EXCL`, holding the
 * owner's pid, host and a random token. A lock whose owner on this host is gone (its pid is
 * dead) is broken at once; any lock untouched for `staleMs` is broken too, so a crashed or
 * frozen holder cannot block others for long. The holder touches the file while it holds it.
 *
 * @example
 * const release = await acquireFileLock("/home/ana/.config/cogkit/default.refresh.lock");
 * try { await refresh(); } finally { await release(); }
 */
export async function acquireFileLock(path: string, options: FileLockOptions = {}): Promise<ReleaseFileLock> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  // Holders in this process queue in memory; only the head of the queue polls the file.
  const previous = queues.get(path) ?? Promise.resolve();
  let done!: () => void;
  const turn = previous.then(() => new Promise<void>((resolve) => (done = resolve)));
  queues.set(path, turn);
  const leave = () => {
    done();
    if (queues.get(path) === turn) queues.delete(path);
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      previous,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for the lock ${path}`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    // Give up our place without blocking whoever queued behind us.
    void previous.then(leave);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  try {
    const release = await acquireFile(path, options.staleMs ?? 15_000, deadline, timeoutMs);
    return async () => {
      try {
        await release();
      } finally {
        leave();
      }
    };
  } catch (error) {
    leave();
    throw error;
  }
}

const queues = new Map<string, Promise<void>>();

async function acquireFile(path: string, staleMs: number, deadline: number, timeoutMs: number): Promise<ReleaseFileLock> {
  const token = `${process.pid}\n${hostname()}\n${randomBytes(8).toString("hex")}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, "wx", 0o600);
      try {
        await handle.writeFile(token);
      } finally {
        await handle.close();
      }
      return holding(path, token, staleMs);
    } catch (error) {
      if (code(error) === "ENOENT") {
        await mkdir(join(path, ".."), { recursive: true, mode: 0o700 });
        continue;
      }
      if (code(error) !== "EEXIST") throw error;
    }
    if (await breakIfStale(path, staleMs)) continue;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for the lock ${path}`);
    // Short waits first: a refresh holds the lock for one round trip.
    await new Promise((resolve) => setTimeout(resolve, Math.min(10 * 2 ** Math.min(attempt, 4), 100, Math.max(1, deadline - Date.now()))));
  }
}

function holding(path: string, token: string, staleMs: number): ReleaseFileLock {
  // Keep the lock fresh while held, so a long task is not taken for a dead one.
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, Math.max(100, staleMs / 3));
  heartbeat.unref();
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    // Only our own lock: if it was broken as stale and taken by another, it is theirs now.
    if ((await readFile(path, "utf8").catch(() => "")) === token) await unlink(path).catch(() => undefined);
  };
}

async function breakIfStale(path: string, staleMs: number): Promise<boolean> {
  let content: string;
  let mtimeMs: number;
  try {
    [content, { mtimeMs }] = await Promise.all([readFile(path, "utf8"), stat(path)]);
  } catch (error) {
    return code(error) === "ENOENT"; // released meanwhile: try again at once
  }
  const [pid, host] = content.split("\n");
  const ownerDead = host === hostname() && pid !== undefined && /^\d+$/.test(pid) && !isAlive(Number(pid));
  // A lock being written has no content yet: only age can make it stale.
  if (!ownerDead && Date.now() - mtimeMs < staleMs) return false;
  // Move it aside atomically, then check it is the one judged stale: between our look and
  // the rename, another process may have broken it and taken a fresh lock.
  const aside = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return true;
  }
  if ((await readFile(aside, "utf8").catch(() => content)) !== content) {
    // We moved a live lock: put it back unless yet another lock exists already.
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
  return true;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) === "EPERM"; // alive, someone else's
  }
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** Options of {@link createFileLock}. */
export interface CreateFileLockOptions extends Pick<FileLockOptions, "staleMs"> {
  /** Where the lock files go (cogkit's config directory by default). */
  dir: string;
  /** Part of each lock file's name, so profiles do not wait for each other; default `default`. */
  profile?: string;
}

/**
 * A platform `lock` for core made of {@link acquireFileLock}: the lock `name` of profile
 * `profile` is the file `<dir>/<profile>.<name>.lock`. It is how processes sharing one
 * session file refresh it once, not once each.
 *
 * @example
 * const platform = { ...createNodePlatform(), lock: createFileLock({ dir: "/tmp/cogkit" }) };
 */
export function createFileLock(options: CreateFileLockOptions): LockManager {
  const { dir, staleMs } = options;
  const profile = fileNamePart(options.profile ?? "default");
  return async (name, task, lockOptions) => {
    const path = join(dir, `${profile}.${fileNamePart(name)}.lock`);
    const release = await acquireFileLock(path, { staleMs, timeoutMs: lockOptions?.timeoutMs });
    try {
      return await task();
    } finally {
      await release();
    }
  };
}
