import { AuthError } from "@cogkit/core";
import { describe, expect, it } from "vitest";
import { retryPausesMs, retryTransient } from "./retry-transient.js";

/** A clock whose timers fire when the test says, recording each pause asked for. */
function handClock() {
  const pending: Array<{ ms: number; keepAlive: boolean | undefined; fire: () => void }> = [];
  return {
    pending,
    setTimeout(fire: () => void, ms: number, options?: { keepAlive?: boolean }) {
      pending.push({ ms, keepAlive: options?.keepAlive, fire });
      return pending.length;
    },
  };
}

/** Lets the retry loop run until it waits on the clock (or ends). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("retryTransient", () => {
  it("tries a transient failure twice more, pausing on the clock (kept alive) for each backoff", async () => {
    const clock = handClock();
    let calls = 0;
    const result = retryTransient(
      async () => {
        if (++calls < 3) throw new AuthError("ERR_SERVICE", "An internal error occurred.", { retryable: true });
        return "done";
      },
      clock,
      () => 0,
    );
    await settle();
    expect(clock.pending.map(({ ms, keepAlive }) => [ms, keepAlive])).toEqual([[retryPausesMs[0], true]]);
    clock.pending[0]!.fire();
    await settle();
    expect(clock.pending.map(({ ms }) => ms)).toEqual([retryPausesMs[0], retryPausesMs[1]]);
    clock.pending[1]!.fire();
    await expect(result).resolves.toBe("done");
    expect(calls).toBe(3);
  });

  it("shortens each pause by up to half at random, so many clients do not retry in step", async () => {
    const clock = handClock();
    const result = retryTransient(() => Promise.reject(new AuthError("ERR_NETWORK", "x: network error", { retryable: true })), clock, () => 1);
    await settle();
    expect(clock.pending[0]!.ms).toBe(retryPausesMs[0] / 2);
    clock.pending[0]!.fire();
    await settle();
    clock.pending[1]!.fire();
    await expect(result).rejects.toMatchObject({ code: "ERR_NETWORK" });
  });

  it.each([
    ["a wrong password", new AuthError("ERR_NOT_AUTHORIZED", "Incorrect username or password.")],
    ["Cognito's attempt limit", new AuthError("ERR_LIMIT_EXCEEDED", "Attempt limit exceeded, please try after some time.", { retryable: true })],
    ["an error that is not cogkit's", new TypeError("bad")],
  ])("throws %s at once, without a pause", async (_, error) => {
    const clock = handClock();
    let calls = 0;
    await expect(
      retryTransient(() => {
        calls++;
        return Promise.reject(error);
      }, clock),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
    expect(clock.pending).toEqual([]);
  });
});
