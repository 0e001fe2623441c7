import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { basename, join } from "node:path";
import type { KeyValueStorage } from "@cogkit/core";
import { cogkitConfigDir, fileNamePart } from "./config-dir.js";
import { assertPrivate, readPrivateFile } from "./assert-private.js";
import { acquireFileLock } from "./file-lock.js";

/** Options of {@link createFileStorage}. */
export interface FileStorageOptions {
  /** The directory; `$XDG_CONFIG_HOME/cogkit`, else `~/.config/cogkit`. */
  dir?: string;
  /** Sessions of different profiles live in different files; default `default`. */
  profile?: string;
  /** The app client id, part of the file name so each client has its own file. */
  clientId?: string;
  /**
   * Told when the file could not be read as cogkit's (it then counts as empty and is replaced
   * at the next write). Default: a process warning, printed on stderr.
   */
  onWarning?: (message: string) => void;
}

/** A {@link KeyValueStorage} in one JSON file; `path` says which. */
export interface FileStorage extends KeyValueStorage {
  readonly path: string;
  /** The value under `key` in the profile's file, or `null`. */
  getItem(key: string): Promise<string | null>;
  /** Stores `value` under `key`: the whole file is rewritten atomically, under the lock file. */
  setItem(key: string, value: string): Promise<void>;
  /** Removes `key` (the file, when it was the last). */
  removeItem(key: string): Promise<void>;
  /** Every entry, read once (a warm `getCredentials` reads the file one time). */
  readAll(): Promise<Record<string, string>>;
}

const fileVersion = 1;

/**
 * Keeps cogkit's storage in one file per profile and client,
 * `<dir>/<profile>.<clientId>.json`, readable by its owner only (file `0600`, directory
 * `0700`). Each write replaces the file whole (a temporary file renamed over it), so a
 * reader never sees half a file, and runs under a lock file, so processes writing at once
 * never lose each other's keys. Reads go to the file every time: another process may have
 * refreshed the session a moment ago. A file that is not cogkit's JSON reads as empty,
 * with a warning that names it.
 *
 * It trusts only what is the user's own: a directory or file owned by another user, or
 * writable by its group or others, is refused (`ERR_INVALID_CONFIG`, naming the path and
 * the fix) for reads and writes alike. Temporary files that a crashed writer left behind
 * (they hold tokens) are removed at the next write; removing the last entry (a logout)
 * leaves nothing of the file on disk.
 *
 * @example
 * const storage = createFileStorage({ profile: "work", clientId: config.userPoolClientId });
 * const client = createAuthClient(config, { platform: createNodePlatform({ storage }) });
 */
export function createFileStorage(options: FileStorageOptions = {}): FileStorage {
  const dir = options.dir ?? cogkitConfigDir();
  const profile = fileNamePart(options.profile ?? "default");
  const path = join(dir, options.clientId ? `${profile}.${fileNamePart(options.clientId)}.json` : `${profile}.json`);
  const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, { code: "COGKIT_STORAGE" }));

  /** Refuses a directory that is not the user's own; false when there is none yet. */
  async function checkDir(): Promise<boolean> {
    let stats;
    try {
      stats = await stat(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
    await assertPrivate(dir, stats, "directory");
    return true;
  }

  async function read(quiet = false): Promise<Record<string, string>> {
    if (!(await checkDir())) return {};
    const text = await readPrivateFile(path);
    if (text === undefined) return {};
    try {
      const parsed = JSON.parse(text) as { v?: unknown; entries?: unknown };
      const entries = parsed?.entries as Record<string, unknown> | undefined;
      if (parsed?.v === fileVersion && typeof entries === "object" && entries !== null && !Array.isArray(entries)) {
        const result: Record<string, string> = {};
        for (const [key, value] of Object.entries(entries)) if (typeof value === "string") result[key] = value;
        return result;
      }
    } catch {
      // reported below
    }
    if (!quiet) warn(`cogkit: ${path} is not a cogkit session file (corrupted?); it is ignored — sign in again.`);
    return {};
  }

  async function update(change: (entries: Record<string, string>) => void) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await checkDir();
    const release = await acquireFileLock(`${path}.lock`, { timeoutMs: 10_000 });
    try {
      // A corrupt file was reported when read; this write replaces it.
      const entries = await read(true);
      await removeAbandonedTemps();
      change(entries);
      if (Object.keys(entries).length === 0) {
        await unlink(path).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== "ENOENT") throw error;
        });
        return;
      }
      const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
      const handle = await open(temp, "wx", 0o600);
      try {
        await handle.writeFile(JSON.stringify({ v: fileVersion, entries }, null, 2));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path).catch(async (error) => {
        await unlink(temp).catch(() => undefined);
        throw error;
      });
    } finally {
      await release();
    }
  }

  // Writers make their temporary files only while they hold the lock, so one seen by the
  // holder belongs to a writer that died before its rename: it may hold tokens, and nobody
  // else would ever remove it.
  async function removeAbandonedTemps() {
    const prefix = `${basename(path)}.`;
    for (const name of await readdir(dir)) {
      if (name.startsWith(prefix) && /^\d+\.[0-9a-f]+\.tmp$/.test(name.slice(prefix.length))) {
        await unlink(join(dir, name)).catch(() => undefined);
      }
    }
  }

  return {
    path,
    readAll: () => read(),
    getItem: async (key) => (await read())[key] ?? null,
    setItem: (key, value) =>
      update((entries) => {
        entries[key] = value;
      }),
    removeItem: (key) =>
      update((entries) => {
        delete entries[key];
      }),
  };
}
