// @vitest-environment jsdom
import { createMemoryStorage } from "@cogkit/core";
import { AuthProvider, useAuthSelector, useUser } from "@cogkit/react";
import { act, cleanup, render, screen, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { type Harness, password, startHarness } from "./support.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.stop());
afterEach(cleanup);

/** Counts the listeners a client has right now, by wrapping its `subscribe`. */
function counted<C extends { subscribe(listener: () => void): () => void }>(client: C) {
  const counter = { active: 0 };
  const subscribe = client.subscribe;
  client.subscribe = (listener) => {
    counter.active++;
    const unsubscribe = subscribe(listener);
    return () => {
      counter.active--;
      unsubscribe();
    };
  };
  return counter;
}

function Status() {
  const { status, user } = useUser();
  const groups = useAuthSelector((s) => s.user?.groups.length ?? 0);
  return (
    <p>
      {status}:{user?.attributes.email ?? "nobody"}:{groups}
    </p>
  );
}

it("mounts twice under Strict Mode with one refresh and no duplicate listener", async () => {
  const email = await harness.confirmedUser();
  const storage = createMemoryStorage();
  await harness.client({ storage }).signIn({ username: email, password });

  // A second "page load" whose clock is past the stored session's refresh time (55 min): starting it
  // refreshes at once, so a doubled start would show as a second call.
  const now = () => Date.now() + 58 * 60_000;
  const client = harness.client({ storage, platform: { clock: { now, setTimeout, clearTimeout } } });
  const listeners = counted(client);
  const refreshes = harness.emulator.callCount("GetTokensFromRefreshToken");

  const view = render(
    <StrictMode>
      <AuthProvider client={client}>
        <Status />
      </AuthProvider>
    </StrictMode>,
  );
  await waitFor(() => expect(screen.getByText(`signedIn:${email}:0`)).toBeTruthy());
  await waitFor(() => expect(harness.emulator.callCount("GetTokensFromRefreshToken")).toBe(refreshes + 1));
  await act(() => new Promise((resolve) => setTimeout(resolve, 200)));
  expect(harness.emulator.callCount("GetTokensFromRefreshToken")).toBe(refreshes + 1);
  // Two hooks in the tree, one listener each.
  expect(listeners.active).toBe(2);
  expect(client.getSnapshot().status).toBe("signedIn");

  view.unmount();
  expect(listeners.active).toBe(0);
});

it("stops the client on unmount and starts it again on the next mount", async () => {
  const client = harness.client();
  const calls: string[] = [];
  const { start, stop } = client;
  client.start = () => (calls.push("start"), start());
  client.stop = () => (calls.push("stop"), stop());
  const view = render(
    <StrictMode>
      <AuthProvider client={client}>
        <Status />
      </AuthProvider>
    </StrictMode>,
  );
  await waitFor(() => expect(screen.getByText("signedOut:nobody:0")).toBeTruthy());
  expect(calls).toEqual(["start", "stop", "start"]);
  view.unmount();
  expect(calls).toEqual(["start", "stop", "start", "stop"]);
});
