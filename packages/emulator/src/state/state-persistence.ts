import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { EmulatorOptions } from "../emulator-options.js";
import type { EmulatorState, StateSeed } from "../emulator-state.js";
import { resolveIds } from "./fixed-ids.js";
import { createSnapshot, loadSavedState, restoreSavedState, type SavedStateData } from "./saved-state.js";
import { readStateFile, unusableStateFile, writeStateFile } from "./state-file.js";
import { createStateWriter, type StateWriter } from "./state-writer.js";

/** How long after a change the state file is written; a burst of changes in that time is one write. */
export const stateWriteDelayMs = 200;

/** A state file opened before the emulator is built. */
export interface OpenedStateFile {
  /** Ids, keys and decoy secret for the new emulator; undefined for a file not made yet. */
  seed: StateSeed | undefined;
  /** Puts the file's records into the emulator, writes the file at once (so new ids are kept) and returns its writer. */
  attach(state: EmulatorState): Promise<StateWriter>;
}

/**
 * Opens the `state` file of the options: reads it (an Error naming the file when it cannot
 * be used), and checks the ids it holds against those the options ask for.
 *
 * @example
 * const file = await openStateFile(".cogkit/emulator-state.json", options);
 * const state = await createEmulatorState({ url, seed: file.seed }, options);
 * const writer = await file.attach(state);
 */
export async function openStateFile(path: string, options: EmulatorOptions): Promise<OpenedStateFile> {
  if (typeof path !== "string" || path.trim() === "") throw new TypeError(`state must be the path of a file, got ${JSON.stringify(path)}`);
  const raw = await readStateFile(path);
  let loaded: Awaited<ReturnType<typeof loadSavedState>> | undefined;
  if (raw !== undefined) {
    try {
      loaded = await loadSavedState(raw);
    } catch (error) {
      throw unusableStateFile(path, `cannot be used: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const data: SavedStateData | undefined = loaded?.data;
  const seed = loaded ? { ...loaded.seed, ids: resolveIds(options, loaded.seed.ids, path) } : undefined;
  return {
    seed,
    async attach(state) {
      if (data) {
        try {
          restoreSavedState(state, data);
        } catch (error) {
          throw unusableStateFile(path, `cannot be used: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const snapshot = await createSnapshot(state);
      const writer = createStateWriter({
        delayMs: stateWriteDelayMs,
        async save() {
          try {
            await writeStateFile(path, snapshot());
          } catch (error) {
            throw new Error(`cogkit-emulator could not write its state file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
          }
        },
        // Serving goes on; stop() reports the failure through its flush.
        onError: (error) => process.emitWarning(error instanceof Error ? error.message : String(error), "CogkitEmulatorWarning"),
      });
      await mkdir(dirname(path), { recursive: true });
      writer.changed();
      await writer.flush();
      return writer;
    },
  };
}
