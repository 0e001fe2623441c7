import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** What the first line of every state file says it is. */
export const stateFormat = "cogkit-emulator-state";
/** The version this emulator writes and reads. */
export const stateVersion = 1;

/** The envelope of a state file; `data` is the version's own shape. */
export interface StateFileContents {
  format: typeof stateFormat;
  version: typeof stateVersion;
  /** Wall-clock time of the write, ISO 8601 (for people reading the file). */
  savedAt: string;
  data: unknown;
}

/** A state file that cannot be used; the message names the file. Thrown by `startEmulator`. */
export function unusableStateFile(path: string, problem: string): Error {
  return new Error(`cogkit-emulator state file ${path} ${problem}; the emulator left it as it is (move it away to start afresh)`);
}

/**
 * Reads a state file: undefined when there is none yet; an Error naming the file when it
 * is not JSON, not a state file or of another version — never a silent fresh start, which
 * would overwrite the developer's users on the next write.
 *
 * @example
 * const saved = await readStateFile("./.cogkit/emulator-state.json");
 */
export async function readStateFile(path: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw unusableStateFile(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw unusableStateFile(path, "is not valid JSON (was it cut short or edited?)");
  }
  const envelope = parsed as Partial<StateFileContents> | null;
  if (typeof envelope !== "object" || envelope === null || envelope.format !== stateFormat) throw unusableStateFile(path, `is not a ${stateFormat} file`);
  if (envelope.version !== stateVersion) {
    throw unusableStateFile(path, `has version ${JSON.stringify(envelope.version)}, and this emulator reads version ${stateVersion} (a newer or older @cogkit/emulator wrote it)`);
  }
  return envelope.data;
}

/**
 * Writes a state file atomically: the whole text goes to a temporary file beside it, is
 * flushed to disk, and then renamed over the old file — so a crash mid-write leaves the
 * old file whole, never half of the new one. Readable by the owner only: it holds
 * password verifiers and private keys.
 *
 * @example
 * await writeStateFile("./.cogkit/emulator-state.json", data);
 */
export async function writeStateFile(path: string, data: unknown): Promise<void> {
  const contents: StateFileContents = { format: stateFormat, version: stateVersion, savedAt: new Date().toISOString(), data };
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const file = await open(temporary, "w", 0o600);
  try {
    try {
      await file.writeFile(JSON.stringify(contents));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Makes the rename itself durable where the platform lets a directory be synced (not on Windows). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The file is whole either way; only its durability across a power loss is at stake.
  }
}
