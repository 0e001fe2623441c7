import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createNodePlatform } from "./node-platform.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cogkit-platform-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("createNodePlatform's clock", () => {
  it("unrefs background timers, so a scheduled refresh never keeps a script alive", () => {
    const { clock } = createNodePlatform({ dir });
    const handle = clock.setTimeout(() => undefined, 60_000) as NodeJS.Timeout;
    expect(handle.hasRef()).toBe(false);
    clock.clearTimeout(handle);
  });

  it("keeps a wait that a caller awaits ref'd, so the script does not end mid-call", () => {
    const { clock } = createNodePlatform({ dir });
    const handle = clock.setTimeout(() => undefined, 60_000, { keepAlive: true }) as NodeJS.Timeout;
    expect(handle.hasRef()).toBe(true);
    clock.clearTimeout(handle);
  });
});
