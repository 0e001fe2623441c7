// @vitest-environment jsdom
import { createMemoryStorage } from "@cogkit/core";
import { AuthProvider, useAuth, useAuthSelector, useUser } from "@cogkit/react";
import { act, cleanup, render, renderHook, screen, waitFor } from "@testing-library/react";
import { memo, type ReactNode } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it, vi } from "vitest";
import { type Harness, password, startHarness } from "./support.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.stop());
afterEach(cleanup);

type Client = ReturnType<Harness["client"]>;
const wrapperFor = (client: Client) => ({ children }: { children: ReactNode }) => <AuthProvider client={client}>{children}</AuthProvider>;

describe("useUser", () => {
  it("throws a TypeError outside an <AuthProvider>", () => {
    // React reports the render error (and React 18 rethrows it through a window event).
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const handled = (event: ErrorEvent) => event.preventDefault();
    window.addEventListener("error", handled);
    expect(() => renderHook(() => useUser())).toThrow(TypeError);
    window.removeEventListener("error", handled);
    quiet.mockRestore();
  });

  it("goes from initializing to signedOut when nothing is stored", async () => {
    const client = harness.client();
    const seen: string[] = [];
    const { result } = renderHook(
      () => {
        const state = useUser();
        seen.push(state.status);
        return state;
      },
      { wrapper: wrapperFor(client) },
    );
    await waitFor(() => expect(result.current.status).toBe("signedOut"));
    expect(seen[0]).toBe("initializing");
    expect(result.current.user).toBeNull();
  });

  it("shows the signed-in user with groups and typed custom attributes, then signedOut after signOut", async () => {
    const email = await harness.confirmedUser();
    harness.emulator.addUserToGroup(email, "admins");
    const client = harness.client();
    const { result } = renderHook(() => ({ state: useUser<Client>(), actions: useAuth<Client>() }), { wrapper: wrapperFor(client) });
    await waitFor(() => expect(result.current.state.status).toBe("signedOut"));

    await act(() => result.current.actions.signIn({ username: email, password }));
    const { user } = result.current.state;
    expect(result.current.state.status).toBe("signedIn");
    expect(user).toMatchObject({ groups: ["admins"], attributes: { email } });
    expect(user?.userId).toMatch(/^[0-9a-f-]{36}$/);
    expectTypeOf(user!.attributes["custom:is_beta_user"]).toEqualTypeOf<boolean | undefined>();

    await act(() => result.current.actions.signOut());
    expect(result.current.state).toEqual({ status: "signedOut", user: null });
  });

  it("shows refreshing while tokens are renewed, and keeps the user", async () => {
    const email = await harness.confirmedUser();
    const client = harness.client();
    await client.signIn({ username: email, password });
    const seen: string[] = [];
    const { result } = renderHook(
      () => {
        const state = useUser();
        seen.push(state.status);
        return state;
      },
      { wrapper: wrapperFor(client) },
    );
    expect(result.current.status).toBe("signedIn");
    const before = result.current.user;
    harness.emulator.injectFault("GetTokensFromRefreshToken", { delayMs: 300 });
    const refreshed = client.getTokens({ forceRefresh: true });
    await waitFor(() => expect(result.current.status).toBe("refreshing"));
    expect(result.current.user).toEqual(before);
    await act(() => refreshed);
    expect(result.current.status).toBe("signedIn");
    expect(result.current.user).toEqual(before);
  });

  it("keeps the user and shows the error while a failed refresh is retried", async () => {
    const email = await harness.confirmedUser();
    const client = harness.client();
    await client.signIn({ username: email, password });
    const { result } = renderHook(() => useUser(), { wrapper: wrapperFor(client) });
    harness.emulator.injectFault("GetTokensFromRefreshToken", { status: 503, times: 1 });
    // The forced caller asked for new tokens and gets the retryable error; the session keeps the
    // user, records the failure and retries.
    await act(() => expect(client.getTokens({ forceRefresh: true })).rejects.toMatchObject({ retryable: true }));
    expect(result.current.status).toBe("signedIn");
    expect(result.current.user?.attributes.email).toBe(email);
    expect(result.current.error).toMatchObject({ retryable: true });
    await act(() => client.getTokens({ forceRefresh: true }));
    expect(result.current.error).toBeUndefined();
  });

  it("shows signedOut with the reason when Cognito refuses the refresh token", async () => {
    const email = await harness.confirmedUser();
    const client = harness.client();
    await client.signIn({ username: email, password });
    const { result } = renderHook(() => useUser(), { wrapper: wrapperFor(client) });
    harness.emulator.injectFault("GetTokensFromRefreshToken", { error: "NotAuthorizedException", message: "Refresh Token has been revoked" });
    await act(() => client.getTokens({ forceRefresh: true }).catch(() => undefined));
    expect(result.current.status).toBe("signedOut");
    expect(result.current.user).toBeNull();
    expect(result.current.error).toMatchObject({ serviceCode: "NotAuthorizedException" });
  });

  it("returns the same snapshot object across renders while nothing changes", async () => {
    const client = harness.client();
    const { result, rerender } = renderHook(() => useUser(), { wrapper: wrapperFor(client) });
    await waitFor(() => expect(result.current.status).toBe("signedOut"));
    const first = result.current;
    rerender();
    expect(result.current).toBe(first);
  });

  it("stands the initial snapshot in while the client reads its storage", () => {
    const client = harness.client();
    const initialSnapshot = { status: "signedOut" as const, user: null };
    const { result } = renderHook(() => useUser(), {
      wrapper: ({ children }) => (
        <AuthProvider client={client} initialSnapshot={initialSnapshot}>
          {children}
        </AuthProvider>
      ),
    });
    expect(result.current).toBe(initialSnapshot);
  });
});

describe("<AuthProvider>", () => {
  it("keeps its store when the parent re-renders with a new initialSnapshot object", async () => {
    const client = harness.client();
    let renders = 0;
    // Memoized: it re-renders only when the provider's context value changes.
    const Child = memo(function Child() {
      renders++;
      return <p>{useUser().status}</p>;
    });
    function Parent() {
      return (
        <AuthProvider client={client} initialSnapshot={{ status: "signedOut", user: null }}>
          <Child />
        </AuthProvider>
      );
    }
    const view = render(<Parent />);
    await waitFor(() => expect(screen.getByText("signedOut")).toBeTruthy());
    const after = renders;
    view.rerender(<Parent />);
    view.rerender(<Parent />);
    expect(renders).toBe(after);
  });
});

describe("useAuth", () => {
  it("binds sign-up, confirmation, code resend, sign-in and sign-out to the provider's client", async () => {
    const client = harness.client();
    const { result } = renderHook(() => ({ actions: useAuth(), state: useUser() }), { wrapper: wrapperFor(client) });
    const { signUp, confirmSignUp, resendSignUpCode, signIn, signOut } = result.current.actions;
    const email = `bound.${Date.now()}@example.com`;

    const signedUp = await signUp({ username: email, password, attributes: { email } });
    expect(signedUp.nextStep.type).toBe("confirmSignUp");
    const first = harness.emulator.outbox.latest(email)!.code;
    await resendSignUpCode({ username: email });
    const code = harness.emulator.outbox.latest(email)!.code;
    expect(harness.emulator.outbox.all(email)).toHaveLength(2);
    expect(typeof first).toBe("string");
    expect(await confirmSignUp({ username: email, code })).toEqual({ nextStep: { type: "done" } });

    await act(async () => {
      expect(await signIn({ username: email, password })).toEqual({ nextStep: { type: "done" } });
    });
    expect(result.current.state.status).toBe("signedIn");
    await act(() => signOut());
    expect(result.current.state.status).toBe("signedOut");
  });

  it("reports an unconfirmed account as the confirmSignUp next step, not an error", async () => {
    const client = harness.client();
    const { result } = renderHook(() => useAuth(), { wrapper: wrapperFor(client) });
    const email = `unconfirmed.${Date.now()}@example.com`;
    await result.current.signUp({ username: email, password, attributes: { email } });
    expect(await result.current.signIn({ username: email, password })).toEqual({ nextStep: { type: "confirmSignUp" } });
    expect(client.getSnapshot().status).toBe("signedOut");
  });
});

describe("useAuthSelector", () => {
  it("re-renders only when the selected slice changes", async () => {
    const email = await harness.confirmedUser();
    const client = harness.client();
    let renders = 0;
    function SignedIn() {
      renders++;
      const signedIn = useAuthSelector((s) => s.user !== null);
      return <p>{signedIn ? "yes" : "no"}</p>;
    }
    render(
      <AuthProvider client={client}>
        <SignedIn />
      </AuthProvider>,
    );
    await waitFor(() => expect(client.getSnapshot().status).toBe("signedOut"));
    await act(() => client.signIn({ username: email, password }));
    expect(screen.getByText("yes")).toBeTruthy();
    const afterSignIn = renders;
    // signedIn → refreshing → signedIn: the snapshot changes twice, the slice never.
    await act(() => client.getTokens({ forceRefresh: true }));
    expect(renders).toBe(afterSignIn);
  });

  it("keeps an equal slice's identity with a custom isEqual", async () => {
    const email = await harness.confirmedUser();
    const client = harness.client();
    await client.signIn({ username: email, password });
    const sameGroups = (a: string[], b: string[]) => a.length === b.length && a.every((g, i) => g === b[i]);
    const { result } = renderHook(() => useAuthSelector((s) => [...(s.user?.groups ?? [])], sameGroups), { wrapper: wrapperFor(client) });
    const first = result.current;
    await act(() => client.getTokens({ forceRefresh: true }));
    expect(result.current).toBe(first);
  });
});

describe("<AuthProvider config>", () => {
  it("creates its client once and serves the hooks with it", async () => {
    const email = await harness.confirmedUser();
    const clients = new Set<unknown>();
    const config = { ...harness.emulator.config };
    const options = { platform: { storage: createMemoryStorage(), broadcast: () => undefined } };
    const { result, rerender } = renderHook(
      () => {
        const actions = useAuth();
        clients.add(actions);
        return { actions, state: useUser() };
      },
      {
        wrapper: ({ children }) => (
          <AuthProvider config={config} options={options}>
            {children}
          </AuthProvider>
        ),
      },
    );
    await waitFor(() => expect(result.current.state.status).toBe("signedOut"));
    rerender();
    await act(() => result.current.actions.signIn({ username: email, password }));
    expect(result.current.state.status).toBe("signedIn");
    expect(clients.size).toBe(1);
    result.current.actions.dispose();
  });
});
