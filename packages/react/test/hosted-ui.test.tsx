// @vitest-environment jsdom
import { createAuthClient, createMemoryStorage, getCredentials } from "@cogkit/core";
import { AuthProvider, useAuth } from "@cogkit/react";
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { auth, type Harness, password, startHarness } from "./support.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.stop());
afterEach(cleanup);

const appUrl = "http://localhost:3000/";

/** A client of the harness's pool whose hosted UI is the emulator. */
function hostedUiClient() {
  const { emulator } = harness;
  return createAuthClient(
    { ...emulator.config, ...auth, loginWith: { ...auth.loginWith, externalProviders: { domain: emulator.url, callbackUrls: [appUrl], logoutUrls: [appUrl] } } },
    { platform: { storage: createMemoryStorage(), broadcast: () => undefined } },
  );
}

const wrapperFor = (client: ReturnType<typeof hostedUiClient>) => ({ children }: { children: ReactNode }) => <AuthProvider client={client}>{children}</AuthProvider>;

describe("useAuth's hosted-UI functions", () => {
  it("are methods of the client itself, which still goes to the standalone functions", async () => {
    const client = hostedUiClient();
    const { result } = renderHook(() => useAuth(), { wrapper: wrapperFor(client) });
    expect(result.current).toBe(client);
    expect(typeof result.current.signInWithRedirect).toBe("function");
    expect(typeof result.current.signInWithPopup).toBe("function");
    expect(typeof result.current.completeSignIn).toBe("function");
    // The client, not a copy: cogkit's standalone functions know it.
    await expect(getCredentials(result.current)).resolves.toMatchObject({ authenticated: false });
    client.dispose();
  });

  it("leaves for the hosted UI's authorize endpoint with the provider and PKCE", async () => {
    const client = hostedUiClient();
    const { result } = renderHook(() => useAuth(), { wrapper: wrapperFor(client) });
    const visited: string[] = [];
    await act(() => result.current.signInWithRedirect({ provider: "Google", navigate: (url) => void visited.push(url) }));
    expect(visited).toHaveLength(1);
    const url = new URL(visited[0]!);
    expect(`${url.origin}${url.pathname}`).toBe(`${harness.emulator.url}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: client.config.userPoolClientId,
      identity_provider: "Google",
      redirect_uri: appUrl,
      response_type: "code",
      code_challenge_method: "S256",
    });
    // Not a hosted-UI callback: nothing to complete.
    await expect(result.current.completeSignIn({ url: appUrl })).resolves.toBeNull();
    client.dispose();
  });

  it("signs out here only without `redirect`, and through the hosted UI's /logout with it", async () => {
    const email = await harness.confirmedUser();
    const client = hostedUiClient();
    const { result } = renderHook(() => useAuth(), { wrapper: wrapperFor(client) });
    await act(() => result.current.signIn({ username: email, password }));
    await act(() => result.current.signOut());
    expect(client.getSnapshot().status).toBe("signedOut");

    await act(() => result.current.signIn({ username: email, password }));
    const visited: string[] = [];
    await act(() => result.current.signOut({ redirect: true, navigate: (url) => void visited.push(url) }));
    await waitFor(() => expect(client.getSnapshot().status).toBe("signedOut"));
    expect(visited).toEqual([`${harness.emulator.url}/logout?${new URLSearchParams({ client_id: client.config.userPoolClientId, logout_uri: appUrl })}`]);
    client.dispose();
  });
});
