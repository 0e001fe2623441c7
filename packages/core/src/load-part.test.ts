import { describe, expect, it } from "vitest";
import { isAuthError } from "./errors.js";
import { loadPart } from "./errors.js";

describe("loadPart", () => {
  it("hands over the loaded module", async () => {
    await expect(loadPart(() => import("./is-record.js"))).resolves.toHaveProperty("isRecord");
  });

  it("turns a chunk that cannot be fetched into a retryable ERR_NETWORK that keeps the cause", async () => {
    const cause = new TypeError("Failed to fetch dynamically imported module: https://app.example/assets/sign-up-1a2b.js");
    const error = await loadPart(() => Promise.reject(cause)).catch((e: unknown) => e);
    expect(isAuthError(error, "ERR_NETWORK")).toBe(true);
    expect(error).toMatchObject({ retryable: true, cause });
  });
});
