import type { Stats } from "node:fs";
import { open } from "node:fs/promises";

/**
 * Refuses a directory or file of cogkit's that the current user does not own, or that its
 * group or others may write to: whoever can write it could plant a session (tokens of their
 * choosing) or swap the file for a link. Rejects with `ERR_INVALID_CONFIG` naming the path,
 * what is wrong and how to fix it. With `rootMayOwn`, root's files pass too. Where the
 * system has no owners (Windows), it passes.
 *
 * @example
 * await assertPrivate(dir, await stat(dir), "directory");
 */
export async function assertPrivate(
  path: string,
  stats: Pick<Stats, "uid" | "mode">,
  kind: "directory" | "file",
  options: { rootMayOwn?: boolean } = {},
): Promise<void> {
  const uid = process.getuid?.();
  if (uid === undefined) return;
  let problem: string | undefined;
  // `rootMayOwn`: a file an administrator provides for every user (as OpenSSH accepts root's).
  if (stats.uid !== uid && !(options.rootMayOwn && stats.uid === 0)) {
    problem = `it is owned by uid ${stats.uid}, not by you (uid ${uid}); remove it, or make it yours`;
  } else if (stats.mode & 0o022) {
    const who = stats.mode & 0o002 ? "anyone" : "its group";
    problem = `it can be written by ${who} (mode ${(stats.mode & 0o777).toString(8)}); run chmod ${kind === "directory" ? "700" : "600"} ${path}`;
  }
  if (problem === undefined) return;
  // Loaded only now: reading a private file needs nothing of core.
  const { AuthError } = await import("@cogkit/core");
  throw new AuthError("ERR_INVALID_CONFIG", `cogkit will not use the ${kind} ${path}: ${problem}`);
}

/**
 * The text of a file that must be the user's own (see {@link assertPrivate}), or `undefined`
 * when there is none. Checked on the open file, not the path: it cannot be swapped between
 * the check and the read.
 *
 * @example
 * const text = await readPrivateFile(path); // undefined: no file yet
 */
export async function readPrivateFile(path: string, options: { rootMayOwn?: boolean } = {}): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    await assertPrivate(path, await handle.stat(), "file", options);
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}
