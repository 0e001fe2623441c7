// @vitest-environment jsdom
import type { AuthSnapshot } from "@cogkit/core";
import { AuthProvider, useAuthSelector, useCredentials, useUser } from "@cogkit/react";
import { act } from "@testing-library/react";
import { hydrateRoot } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { type Harness, password, startHarness } from "./support.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.stop());

function Page() {
  const { status, user } = useUser();
  const admin = useAuthSelector((s) => s.user?.groups.includes("admins") ?? false);
  const { status: credentials } = useCredentials();
  return (
    <main>
      <p>{status}</p>
      <p>{user ? `${user.username} ${user.attributes.email}` : "nobody"}</p>
      <p>{admin ? "admin" : "member"}</p>
      <p>credentials {credentials}</p>
    </main>
  );
}

it("hydrates the server's HTML without a mismatch, given the snapshot it rendered", async () => {
  const email = await harness.confirmedUser();
  harness.emulator.addUserToGroup(email, "admins");
  // The server: a client per request (here signed in directly), its snapshot rendered.
  const server = harness.client();
  await server.signIn({ username: email, password });
  const initialSnapshot: AuthSnapshot = JSON.parse(JSON.stringify(server.getSnapshot()));
  const html = renderToString(
    <AuthProvider client={server} initialSnapshot={initialSnapshot}>
      <Page />
    </AuthProvider>,
  );
  expect(html).toContain("signedIn");
  expect(html).toContain("admin");

  // The browser: a fresh client that has not read its storage yet.
  const browser = harness.client();
  const container = document.createElement("div");
  container.innerHTML = html;
  document.body.append(container);
  const errors = vi.spyOn(console, "error");
  const recoverable: unknown[] = [];
  await act(async () => {
    hydrateRoot(
      container,
      <AuthProvider client={browser} initialSnapshot={initialSnapshot}>
        <Page />
      </AuthProvider>,
      { onRecoverableError: (error) => recoverable.push(error) },
    );
  });
  expect(recoverable).toEqual([]);
  expect(errors).not.toHaveBeenCalled();
  errors.mockRestore();
  // Then the browser's own state takes over (nothing stored in this fresh client).
  expect(container.textContent).toContain("signedOut");
});

it("renders initializing on the server when given no snapshot, without touching the client", () => {
  const client = harness.client();
  const html = renderToString(
    <AuthProvider client={client}>
      <Page />
    </AuthProvider>,
  );
  expect(html).toContain("initializing");
  expect(html).toContain("credentials <!-- -->loading");
});
