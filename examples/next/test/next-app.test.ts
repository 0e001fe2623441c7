import { createAuthClient, createMemoryStorage } from "@cogkit/core";
import { type Emulator, startEmulator } from "@cogkit/emulator";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../react-vite/test/chromium.js";
import { auth } from "../auth.mjs";
import { buildNextApp, startNextApp } from "./next-support.js";

// The Next.js example, built for production once, served by `next start` against the
// emulator and driven in headless Chromium.
const password = "Corr3ct-Horse!";
const lifetimeSeconds = 300;
const refreshSeconds = 3_600;
/** Polls until the matcher passes; generous, since the machine is shared. */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000, interval: 100 });

describe("the Next.js example in Chromium", () => {
  let emulator: Emulator;
  let app: Awaited<ReturnType<typeof startNextApp>>;
  let browser: Browser;
  beforeAll(async () => {
    await buildNextApp();
    emulator = await startEmulator({ auth, quiet: true, tokenValidity: { accessSeconds: lifetimeSeconds, idSeconds: lifetimeSeconds, refreshSeconds } });
    app = await startNextApp(emulator);
    browser = await launchChromium();
  }, 400_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await emulator?.stop();
  });

  async function newUser(): Promise<string> {
    const email = `next.${Date.now()}@example.com`;
    const client = createAuthClient(emulator.config, { platform: { storage: createMemoryStorage() } });
    await client.signUp({ username: email, password, attributes: { email } });
    await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
    client.dispose();
    return email;
  }

  async function signIn(page: Page, email: string) {
    await eventually(() => new URL(page.url()).pathname).toBe("/sign-in");
    const form = page.getByRole("form", { name: "Sign in" });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Password").fill(password);
    await form.getByRole("button", { name: "Sign in" }).click();
    await eventually(() => new URL(page.url()).pathname).toBe("/account");
  }

  it("signs in, renders the protected page on the server, refreshes after expiry, ends the session, and signs out", async () => {
    const email = await newUser();
    const context = await browser.newContext();
    context.setDefaultTimeout(5_000);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("response", (response) => response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`));

    // Not signed in: the proxy sends the protected page to the sign-in page.
    await page.goto(`${app.url}/account`);
    await signIn(page, email);
    await eventually(() => page.getByTestId("email").textContent()).toBe(email);
    await eventually(() => page.getByTestId("status").textContent()).toBe("signedIn");

    // The server's HTML already says signed in (no flash of signed-out content before hydration).
    const html = await (await page.request.get(`${app.url}/account`)).text();
    expect(html).toContain(`data-testid="status">signedIn<`);
    expect(html).toContain(email);

    // A reload keeps the session.
    await page.reload();
    await eventually(() => page.getByTestId("email").textContent()).toBe(email);
    const firstExpiry = await page.getByTestId("exp").textContent();

    // The tokens expire (emulator time): the proxy refreshes once and the page shows the new ones.
    const refreshes = emulator.callCount("GetTokensFromRefreshToken");
    emulator.advanceTime((lifetimeSeconds + 5) * 1000);
    await page.reload();
    await eventually(() => page.getByTestId("exp").textContent()).not.toBe(firstExpiry);
    expect(await page.getByTestId("email").textContent()).toBe(email);
    expect(emulator.callCount("GetTokensFromRefreshToken") - refreshes).toBe(1);

    // The refresh token expires too: the session is over, and the proxy sends the user to sign in.
    emulator.advanceTime((refreshSeconds + 5) * 1000);
    await page.reload();
    await eventually(() => new URL(page.url()).pathname).toBe("/sign-in");
    await eventually(() => page.getByTestId("status").textContent()).toBe("signedOut");

    // Signing in again, then out.
    await signIn(page, email);
    await page.getByRole("button", { name: "Sign out" }).click();
    await eventually(() => new URL(page.url()).pathname).toBe("/sign-in");
    await eventually(() => page.getByTestId("status").textContent()).toBe("signedOut");
    expect((await context.cookies()).filter((cookie) => cookie.name.startsWith("cogkit."))).toEqual([]);
    await page.goto(`${app.url}/account`);
    await eventually(() => new URL(page.url()).pathname).toBe("/sign-in");

    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
