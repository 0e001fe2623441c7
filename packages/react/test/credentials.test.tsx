// @vitest-environment jsdom
import { AuthProvider, useAuth, useCredentials, useUser } from "@cogkit/react";
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Harness, password, startHarness } from "./support.js";

type Client = ReturnType<Harness["client"]>;
const wrapperFor = (client: Client) => ({ children }: { children: ReactNode }) => <AuthProvider client={client}>{children}</AuthProvider>;
const useAll = () => ({ credentials: useCredentials(), user: useUser(), actions: useAuth() });

describe("useCredentials with guest access", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.stop());
  afterEach(cleanup);

  it("serves a guest's credentials before sign-in, the user's after, and a new guest's after sign-out", async () => {
    const email = await harness.confirmedUser();
    const client = harness.client();
    const { result } = renderHook(useAll, { wrapper: wrapperFor(client) });
    expect(result.current.credentials).toMatchObject({ status: "loading", credentials: undefined });

    await waitFor(() => expect(result.current.credentials.status).toBe("ready"));
    const guest = result.current.credentials;
    expect(guest.credentials).toMatchObject({ authenticated: false, accessKeyId: expect.any(String), sessionToken: expect.any(String) });
    expect(guest.identityId).toBe(guest.credentials?.identityId);
    expect(guest.identityId).toMatch(/^us-east-1:/);

    await act(() => result.current.actions.signIn({ username: email, password }));
    // The guest's credentials are never shown for the signed-in user.
    expect(result.current.credentials.credentials?.authenticated).not.toBe(false);
    await waitFor(() => expect(result.current.credentials.status).toBe("ready"));
    const user = result.current.credentials;
    expect(user.credentials?.authenticated).toBe(true);
    expect(user.credentials?.accessKeyId).not.toBe(guest.credentials?.accessKeyId);
    // The guest identity is carried into the authenticated one, as Cognito does.
    expect(user.identityId).toBe(guest.identityId);

    await act(() => result.current.actions.signOut());
    await waitFor(() => expect(result.current.credentials.status).toBe("ready"));
    const after = result.current.credentials;
    expect(after.credentials?.authenticated).toBe(false);
    expect(after.identityId).not.toBe(user.identityId);
  });

  it("does not refetch when tokens are refreshed", async () => {
    const email = await harness.confirmedUser();
    const client = harness.client();
    await client.signIn({ username: email, password });
    const { result } = renderHook(useAll, { wrapper: wrapperFor(client) });
    await waitFor(() => expect(result.current.credentials.status).toBe("ready"));
    const first = result.current.credentials;
    const calls = harness.emulator.callCount("GetCredentialsForIdentity");
    await act(() => client.getTokens({ forceRefresh: true }));
    expect(result.current.credentials).toBe(first);
    expect(harness.emulator.callCount("GetCredentialsForIdentity")).toBe(calls);
  });

  it("fetches once under Strict Mode's double effects", async () => {
    const client = harness.client();
    const calls = harness.emulator.callCount("GetCredentialsForIdentity");
    const { result } = renderHook(useAll, {
      wrapper: ({ children }) => <AuthProvider client={client}>{children}</AuthProvider>,
      reactStrictMode: true,
    });
    await waitFor(() => expect(result.current.credentials.status).toBe("ready"));
    expect(harness.emulator.callCount("GetCredentialsForIdentity")).toBe(calls + 1);
  });
});

describe("useCredentials without guest access", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ identityPool: { allowUnauthenticated: false } });
  });
  afterAll(() => harness.stop());
  afterEach(cleanup);

  it("reports the error while signed out, then the user's credentials after sign-in", async () => {
    const email = await harness.confirmedUser();
    const client = harness.client();
    const { result } = renderHook(useAll, { wrapper: wrapperFor(client) });
    await waitFor(() => expect(result.current.credentials.status).toBe("error"));
    expect(result.current.credentials).toMatchObject({ credentials: undefined, identityId: undefined, error: expect.anything() });

    await act(() => result.current.actions.signIn({ username: email, password }));
    await waitFor(() => expect(result.current.credentials.status).toBe("ready"));
    expect(result.current.credentials.credentials?.authenticated).toBe(true);
  });
});
