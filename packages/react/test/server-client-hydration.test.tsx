// @vitest-environment jsdom
import { createCookieStorage } from "@cogkit/core";
import { createServerClient, requestCookies } from "@cogkit/core/server";
import { AuthProvider, useUser } from "@cogkit/react";
import { act } from "@testing-library/react";
import { hydrateRoot } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auth, type Harness, password, startHarness } from "./support.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.stop());

const seen: string[] = [];
function Status() {
  const { status, user } = useUser();
  seen.push(status);
  return <p>{`${status} ${user?.attributes.email ?? "nobody"}`}</p>;
}

it("hydrates from createServerClient's snapshot, never showing signed out or initializing on the way to the browser's own session", async () => {
  const email = await harness.confirmedUser();
  const config = { ...harness.emulator.config, ...auth };
  const serverOptions = { secret: "a-test-secret-of-at-least-32-characters!", cookieOptions: { secure: false } };
  // The sign-in request: a form post whose response sets the session cookies.
  const headers = new Headers();
  const signIn = createServerClient(config, { ...serverOptions, cookies: requestCookies(new Request("http://app.test/sign-in", { method: "POST" }), headers) });
  expect(await signIn.signIn({ username: email, password })).toEqual({ nextStep: { type: "done" } });
  const cookie = headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");

  // The next page: a Server Component reads the session read-only and renders with its snapshot.
  const page = new Request("http://app.test/", { headers: { cookie } });
  const snapshot = await createServerClient(config, { ...serverOptions, readOnly: true, cookies: requestCookies(page, new Headers()) }).getSnapshot();
  expect(snapshot).toMatchObject({ status: "signedIn", user: { attributes: { email } } });
  const html = renderToString(
    <AuthProvider client={harness.client()} initialSnapshot={snapshot}>
      <Status />
    </AuthProvider>,
  );
  expect(html).toContain(`signedIn ${email}`);

  // The browser: a client over the same cookies, hydrating the server's HTML.
  seen.length = 0;
  const browser = harness.client({ storage: createCookieStorage({ secure: false, document: { cookie } }) });
  const container = document.createElement("div");
  container.innerHTML = html;
  document.body.append(container);
  const recoverable: unknown[] = [];
  await act(async () => {
    hydrateRoot(
      container,
      <AuthProvider client={browser} initialSnapshot={JSON.parse(JSON.stringify(snapshot))}>
        <Status />
      </AuthProvider>,
      { onRecoverableError: (error) => recoverable.push(error) },
    );
    await browser.start();
  });
  expect(recoverable).toEqual([]);
  expect(browser.getSnapshot().status).toBe("signedIn");
  expect(new Set(seen)).toEqual(new Set(["signedIn"]));
  expect(container.textContent).toBe(`signedIn ${email}`);
});
