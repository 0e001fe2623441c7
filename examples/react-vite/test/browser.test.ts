import { createAuthClient, createMemoryStorage } from "@cogkit/core";
import { type Emulator, type EmulatorOptions, startEmulator } from "@cogkit/emulator";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, signInPolicy } from "../src/auth.js";
import { type RuntimeConfig, runtimeConfigOf, servedAt } from "../src/runtime-config.js";
import { buildApp, serveApp } from "./app-server.js";
import { launchChromium } from "./chromium.js";

// The example app, built by Vite for production, in headless Chromium against the emulator.
const password = "Corr3ct-Horse!";
let counter = 0;
const newEmail = () => `tab${++counter}.${Date.now()}@example.com`;

let app: Awaited<ReturnType<typeof buildApp>>;
// Launched by the first test that needs it, so a missing Chromium fails every test
// (a failing beforeAll would report them as skipped).
let launching: Promise<Browser> | undefined;
beforeAll(async () => {
  app = await buildApp();
}, 120_000);
afterAll(async () => {
  await (await launching?.catch(() => undefined))?.close();
  await app?.remove();
});

/** An emulator and the app served against it; `close()` stops both and the browser context. */
async function startSite(options: EmulatorOptions = {}) {
  let runtime: RuntimeConfig | undefined;
  const site = await serveApp(app.dir, () => runtime!);
  // The hosted UI sends users back to the site, so the emulator boots once its URL is known.
  const emulator = await startEmulator({ auth: servedAt(auth, site.url), quiet: true, ...options });
  runtime = runtimeConfigOf(emulator);
  const contexts: BrowserContext[] = [];
  return {
    emulator,
    url: site.url,
    async context() {
      const context = await (launching ??= launchChromium()).then((browser) => browser.newContext());
      // A missing element fails a poll's round quickly instead of outliving the poll.
      context.setDefaultTimeout(2_000);
      contexts.push(context);
      return context;
    },
    async close() {
      for (const context of contexts) await context.close();
      await site.close();
      await emulator.stop();
    },
  };
}

async function confirmedUser(emulator: Emulator): Promise<string> {
  const email = newEmail();
  const client = createAuthClient({ ...emulator.config, ...auth }, { platform: { storage: createMemoryStorage() } });
  await client.signUp({ username: email, password, attributes: { email } });
  await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
  client.dispose();
  return email;
}

const status = (page: Page) => page.getByTestId("status");

/** Opens the app at `url` in a new tab of `context` and waits for its signed-out page. */
async function openSignedOut(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await eventually(() => status(page).textContent()).toBe("signedOut");
  return page;
}
/** The ID token's claims as the profile's table shows them, name → text. */
const claims = (page: Page) =>
  page
    .getByTestId("claims")
    .locator("tr")
    .evaluateAll((rows) => Object.fromEntries(rows.map((row) => [row.querySelector("th")?.textContent, row.querySelector("td")?.textContent])));
/** Polls until the matcher passes; generous, since the whole suite may share the machine. */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 50 });

async function signIn(page: Page, email: string) {
  // The page in front: a background tab gets no animation frames, which a click waits for.
  await page.bringToFront();
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await eventually(() => status(page).textContent()).toBe("signedIn");
}

describe("the example app in Chromium", () => {
  let site: Awaited<ReturnType<typeof startSite>>;
  beforeAll(async () => {
    site = await startSite();
  });
  afterAll(() => site.close());

  it("signs up with the outbox's code, signs in, shows the profile and both kinds of credentials, and signs out", async () => {
    const page = await (await site.context()).newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(site.url);
    await eventually(() => status(page).textContent()).toBe("signedOut");

    // A guest first: the identity pool's unauthenticated role, checked by STS.
    await eventually(() => page.getByTestId("role").textContent()).toBe("Cognito_EmulatorUnauth_Role");
    expect(await page.getByTestId("credentials-kind").textContent()).toBe("guest");
    const guestIdentity = await page.getByTestId("identity-id").textContent();
    expect(guestIdentity).toMatch(/^us-east-1:/);

    const email = newEmail();
    await page.getByRole("button", { name: "Create an account" }).click();
    const signUp = page.getByRole("form", { name: "Sign up" });
    await signUp.getByLabel("Email").fill(email);
    // The pool's rules (Cognito's defaults) are shown, and ticked as the password meets them.
    const unmet = signUp.locator('[data-testid="password-rule"][data-met="false"]');
    expect(await signUp.getByTestId("password-rule").allTextContents()).toEqual([
      expect.stringContaining("At least 8 characters"),
      expect.stringContaining("A lowercase letter"),
      expect.stringContaining("An uppercase letter"),
      expect.stringContaining("A number"),
      expect.stringContaining("A symbol"),
    ]);
    await signUp.getByLabel("Password").fill("short");
    await eventually(() => unmet.count()).toBe(4);
    await signUp.getByLabel("Password").fill(password);
    await eventually(() => unmet.count()).toBe(0);
    await signUp.getByLabel("Beta user").check();
    await signUp.getByRole("button", { name: "Create account" }).click();

    const outboxCode = page.getByTestId("outbox-code");
    await eventually(() => outboxCode.textContent()).toMatch(/^\d{6}$/);
    const code = (await outboxCode.textContent())!;
    expect(code).toBe(site.emulator.outbox.latest(email)?.code);
    const confirm = page.getByRole("form", { name: "Confirm sign-up" });
    // A wrong code is said in plain words, with its code; typing again clears it.
    await confirm.getByLabel("Code").fill(code === "000000" ? "111111" : "000000");
    await confirm.getByRole("button", { name: "Confirm" }).click();
    const alert = confirm.getByRole("alert");
    await eventually(() => alert.textContent()).toBe("That code is wrong. Check the latest email and try again. ERR_CODE_MISMATCH");
    await confirm.getByLabel("Code").fill(code);
    await eventually(() => alert.count()).toBe(0);
    await confirm.getByRole("button", { name: "Confirm" }).click();
    await eventually(() => page.getByRole("status").textContent()).toContain("Account confirmed");

    // The email is kept from the confirmation; the password is asked again (and the notice,
    // which was about the step before, goes once the user types).
    await page.getByRole("form", { name: "Sign in" }).getByLabel("Password").fill(password);
    await eventually(() => page.getByRole("status").count()).toBe(0);
    await page.getByRole("form", { name: "Sign in" }).getByRole("button", { name: "Sign in" }).click();
    await eventually(() => status(page).textContent()).toBe("signedIn");
    expect(await page.getByTestId("email").textContent()).toBe(email);
    expect(await page.getByTestId("beta").textContent()).toBe("yes");
    expect(await page.getByTestId("groups").textContent()).toBe("none");
    await eventually(() => claims(page)).toMatchObject({ email, email_verified: "yes" });

    // The signed-in user's credentials: the guest identity carried over, the authenticated role.
    await eventually(() => page.getByTestId("role").textContent()).toBe("Cognito_EmulatorAuth_Role");
    expect(await page.getByTestId("credentials-kind").textContent()).toBe("authenticated");
    expect(await page.getByTestId("identity-id").textContent()).toBe(guestIdentity);

    // Joining a group shows once new tokens carry it.
    await page.getByRole("button", { name: /Join/ }).click();
    await eventually(() => page.getByTestId("groups").textContent()).toBe("beta-testers");
    await eventually(() => claims(page)).toMatchObject({ "cognito:groups": "beta-testers" });

    // The session survives a reload (localStorage).
    await page.reload();
    await eventually(() => status(page).textContent()).toBe("signedIn");
    expect(await page.getByTestId("groups").textContent()).toBe("beta-testers");

    await page.getByRole("button", { name: "Sign out" }).click();
    await eventually(() => status(page).textContent()).toBe("signedOut");
    await eventually(() => page.getByTestId("credentials-kind").textContent()).toBe("guest");
    await eventually(() => page.getByTestId("role").textContent()).toBe("Cognito_EmulatorUnauth_Role");
    expect(await page.getByTestId("identity-id").textContent()).not.toBe(guestIdentity);
    // The sign-in form again, without the notice of the confirmation before.
    await eventually(() => page.getByRole("form", { name: "Sign in" }).isVisible()).toBe(true);
    expect(await page.getByRole("status").count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);

  it("shows the button busy while signing in, a wrong password in plain words, and clears that once the password is edited", async () => {
    const email = await confirmedUser(site.emulator);
    const page = await openSignedOut(await site.context(), site.url);
    const form = page.getByRole("form", { name: "Sign in" });
    // Every label (and whether disabled) the submit button shows, however briefly.
    await form.evaluate((element) => {
      const seen: string[] = ((window as any).__labels = []);
      const record = () => {
        const button = element.querySelector("button.primary") as HTMLButtonElement;
        const label = `${button.textContent}${button.disabled ? " (disabled)" : ""}`;
        if (seen.at(-1) !== label) seen.push(label);
      };
      record();
      new MutationObserver(record).observe(element, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Password").fill(`${password}-wrong`);
    await form.getByRole("button", { name: "Sign in" }).click();
    await eventually(() => form.getByRole("alert").textContent()).toBe("The email or password is wrong. ERR_NOT_AUTHORIZED");
    expect(await page.evaluate(() => (window as any).__labels)).toEqual(["Sign in", "Signing in… (disabled)", "Sign in"]);
    await form.getByLabel("Password").fill(password);
    await eventually(() => form.getByRole("alert").count()).toBe(0);
    await form.getByRole("button", { name: "Sign in" }).click();
    await eventually(() => page.locator(".session").textContent()).toBe(`Signed in as ${email}signedIn`);
  }, 60_000);

  it("shows a sign-in in one tab in the other, and a sign-out too", async () => {
    const email = await confirmedUser(site.emulator);
    const context = await site.context();
    const [first, second] = [await openSignedOut(context, site.url), await openSignedOut(context, site.url)];
    await signIn(first, email);
    await eventually(() => status(second).textContent()).toBe("signedIn");
    expect(await second.getByTestId("email").textContent()).toBe(email);
    await eventually(() => second.getByTestId("credentials-kind").textContent()).toBe("authenticated");

    // signIn brought the first tab to the front; a background tab's click waits for a frame.
    await second.bringToFront();
    await second.getByRole("button", { name: "Sign out" }).click();
    await eventually(() => status(second).textContent()).toBe("signedOut");
    await eventually(() => status(first).textContent()).toBe("signedOut");
    await eventually(() => first.getByTestId("credentials-kind").textContent()).toBe("guest");
  }, 60_000);
});

describe("three tabs with 60-second tokens and refresh-token rotation (no grace)", () => {
  let site: Awaited<ReturnType<typeof startSite>>;
  beforeAll(async () => {
    site = await startSite({
      tokenValidity: { accessSeconds: 60, idSeconds: 60 },
      refreshTokenRotation: { enabled: true, gracePeriodSeconds: 0 },
    });
  });
  afterAll(() => site.close());

  it("refreshes once per token across the tabs, and no tab is ever signed out", async () => {
    const { emulator } = site;
    const email = await confirmedUser(emulator);
    const context = await site.context();
    // Every tab's clock is Playwright's: the test moves the browser and the emulator together.
    await context.clock.install({ time: emulator.now() });
    // Records every status each tab shows, to prove none ever showed signedOut after sign-in.
    await context.addInitScript(() => {
      const seen: string[] = ((window as any).__statuses = []);
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="status"]')?.textContent ?? "";
        if (seen.at(-1) !== text) seen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const tabs = [await openSignedOut(context, site.url), await openSignedOut(context, site.url), await openSignedOut(context, site.url)];
    await signIn(tabs[0]!, email);
    for (const tab of tabs) await eventually(() => status(tab).textContent()).toBe("signedIn");
    const signIns = emulator.callCount("InitiateAuth");
    const refreshes = emulator.callCount("GetTokensFromRefreshToken");
    const expiries = (tab: Page) => tab.getByTestId("expires").textContent();

    // A 60 s token is refreshed at half its life; 8 steps of 30 s are four token lifetimes.
    const steps = 8;
    for (let step = 1; step <= steps; step++) {
      const before = await expiries(tabs[0]!);
      emulator.advanceTime(30_000);
      await context.clock.runFor(30_000);
      await eventually(() => emulator.callCount("GetTokensFromRefreshToken")).toBe(refreshes + step);
      for (const tab of tabs) {
        await eventually(() => status(tab).textContent()).toBe("signedIn");
        await eventually(() => expiries(tab)).not.toBe(before);
      }
      const after = await Promise.all(tabs.map(expiries));
      expect(new Set(after).size).toBe(1);
    }
    // Give a stray second refresh the chance to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(emulator.callCount("GetTokensFromRefreshToken")).toBe(refreshes + steps);
    expect(emulator.callCount("InitiateAuth")).toBe(signIns);
    for (const tab of tabs) {
      const seen: string[] = await tab.evaluate(() => (window as any).__statuses);
      expect(seen.slice(seen.indexOf("signedIn"))).not.toContain("signedOut");
    }
  }, 90_000);
});

describe("sign-in through the hosted UI", () => {
  let site: Awaited<ReturnType<typeof startSite>>;
  beforeAll(async () => {
    site = await startSite();
  });
  afterAll(() => site.close());

  /** True once the page is on one of the emulator's own pages (its hosted UI or a fake provider). */
  const onEmulator = (page: Page) => page.url().startsWith(site.emulator.url);

  it("signs in with Google on the emulator's fake Google page, with credentials from the identity pool, and tells the other tab", async () => {
    const context = await site.context();
    const [first, second] = [await context.newPage(), await context.newPage()];
    const errors: string[] = [];
    first.on("pageerror", (error) => errors.push(error.message));
    for (const page of [first, second]) {
      await page.goto(site.url);
      await eventually(() => status(page).textContent()).toBe("signedOut");
    }
    await eventually(() => first.getByTestId("credentials-kind").textContent()).toBe("guest");
    const guestIdentity = await first.getByTestId("identity-id").textContent();

    await first.bringToFront();
    await first.getByRole("button", { name: "Sign in with Google" }).click();
    await eventually(() => onEmulator(first)).toBe(true);
    const sub = `g-${Date.now()}`;
    const email = `${sub}@gmail.example`;
    await first.locator('input[name="sub"]').fill(sub);
    await first.locator('input[name="email"]').fill(email);
    await first.getByRole("button", { name: "Continue" }).click();

    // Back in the app, signed in as the federated user Cognito made for this Google account.
    await eventually(() => status(first).textContent()).toBe("signedIn");
    // The app takes code and state out of the address bar once completeSignIn has resolved,
    // which is after the session (and so the status) is published.
    await eventually(() => first.url()).toBe(site.url);
    expect(await first.getByTestId("email").textContent()).toBe(email);
    expect(await first.getByRole("region", { name: "Profile" }).textContent()).toContain(`Google_${sub}`);
    await eventually(async () => (await claims(first)).identities).toContain('"providerName":"Google"');
    await eventually(() => first.getByTestId("credentials-kind").textContent()).toBe("authenticated");
    await eventually(() => first.getByTestId("role").textContent()).toBe("Cognito_EmulatorAuth_Role");
    expect(await first.getByTestId("identity-id").textContent()).toBe(guestIdentity);

    // The other tab hears of the session.
    await eventually(() => status(second).textContent()).toBe("signedIn");
    expect(await second.getByTestId("email").textContent()).toBe(email);
    expect(errors).toEqual([]);
  }, 60_000);

  it("says in plain words that a stale hosted-UI return cannot sign in, until someone signs in", async () => {
    const email = await confirmedUser(site.emulator);
    const page = await (await site.context()).newPage();
    // As if the hosted UI sent the user back with a state this browser never made.
    await page.goto(`${site.url}?code=stale&state=unknown`);
    await eventually(() => status(page).textContent()).toBe("signedOut");
    await eventually(() => page.getByRole("alert").textContent()).toBe("That sign-in link has expired or was already used. Sign in again. ERR_INVALID_STATE");
    await signIn(page, email);
    await page.getByRole("button", { name: "Sign out" }).click();
    await eventually(() => status(page).textContent()).toBe("signedOut");
    expect(await page.getByRole("alert").count()).toBe(0);
  }, 60_000);

  it("keeps the hosted UI's own session until a sign-out through it, after which the hosted UI asks again", async () => {
    const email = await confirmedUser(site.emulator);
    const page = await openSignedOut(await site.context(), site.url);

    const hostedSignIn = () => page.getByRole("button", { name: "Sign in with the hosted UI" }).click();
    await hostedSignIn();
    await eventually(() => onEmulator(page)).toBe(true);
    await page.locator('input[name="username"]').fill(email);
    await page.locator('input[name="password"]').fill(password);
    await page.locator('input[name="password"]').press("Enter");
    await eventually(() => status(page).textContent()).toBe("signedIn");
    expect(await page.getByTestId("email").textContent()).toBe(email);

    // Forgetting the session in the app alone leaves the hosted UI's: it signs the user in
    // again without a page.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await eventually(() => status(page).textContent()).toBe("signedOut");
    await hostedSignIn();
    await eventually(() => status(page).textContent()).toBe("signedIn");

    // The app's sign-out goes through the hosted UI's /logout and comes back signed out...
    // The local session ends before the page leaves, so wait for the way back from /logout.
    const backFromLogout = page.waitForRequest((request) => request.isNavigationRequest() && request.url() === site.url);
    await page.getByRole("button", { name: "Sign out" }).click();
    expect((await backFromLogout).redirectedFrom()?.url()).toMatch(new RegExp(`^${site.emulator.url}/logout\\?`));
    await page.waitForLoadState("load");
    await eventually(() => status(page).textContent()).toBe("signedOut");
    expect(page.url()).toBe(site.url);
    // ...and the hosted UI asks for the password again.
    await hostedSignIn();
    await eventually(() => onEmulator(page)).toBe(true);
    await expect(page.locator('input[name="password"]').isVisible()).resolves.toBe(true);
  }, 60_000);
});

describe("the account", () => {
  let site: Awaited<ReturnType<typeof startSite>>;
  beforeAll(async () => {
    site = await startSite();
  });
  afterAll(() => site.close());

  it("changes the name at once and the email once its code is entered", async () => {
    const email = await confirmedUser(site.emulator);
    const page = await openSignedOut(await site.context(), site.url);
    await signIn(page, email);
    await eventually(() => page.getByTestId("mfa").textContent()).toBe("off");

    const profile = page.getByRole("form", { name: "Edit profile" });
    await profile.getByLabel("Given name").fill("Ada");
    await profile.getByRole("button", { name: "Save" }).click();
    // New tokens carry the name: the claims show it without a reload.
    await eventually(() => claims(page)).toMatchObject({ given_name: "Ada" });

    const newEmail = `new.${email}`;
    await profile.getByLabel("Email").fill(newEmail);
    await profile.getByRole("button", { name: "Save" }).click();
    const verify = page.getByRole("form", { name: "Verify email" });
    await eventually(() => page.getByTestId("attribute-code").textContent()).toMatch(/^\d{6}$/);
    // Until the code is entered, the verified email stays the user's.
    expect(await page.getByTestId("email").textContent()).toBe(email);
    await verify.getByLabel("Code").fill((await page.getByTestId("attribute-code").textContent())!);
    await verify.getByRole("button", { name: "Verify" }).click();
    await eventually(() => page.getByTestId("email").textContent()).toBe(newEmail);
    await eventually(() => claims(page)).toMatchObject({ email: newEmail, email_verified: "yes" });
  }, 60_000);

  it("deletes the account in one tab and signs the other out", async () => {
    const email = await confirmedUser(site.emulator);
    const context = await site.context();
    const [first, second] = [await openSignedOut(context, site.url), await openSignedOut(context, site.url)];
    await signIn(first, email);
    await eventually(() => status(second).textContent()).toBe("signedIn");

    // The page in front: a background tab gets no animation frames, which a click waits for.
    await first.bringToFront();
    await first.getByRole("button", { name: "Delete account…" }).click();
    await first.getByRole("button", { name: "Yes, delete my account" }).click();
    await eventually(() => status(first).textContent()).toBe("signedOut");
    await eventually(() => status(second).textContent()).toBe("signedOut");
    // Gone for good: the same password no longer signs in.
    const client = createAuthClient({ ...site.emulator.config, ...auth }, { platform: { storage: createMemoryStorage() } });
    await expect(client.signIn({ username: email, password })).rejects.toMatchObject({ code: "ERR_NOT_AUTHORIZED" });
    client.dispose();
  }, 60_000);
});

describe("passwordless sign-in", () => {
  let site: Awaited<ReturnType<typeof startSite>>;
  let strict: Awaited<ReturnType<typeof startSite>>;
  beforeAll(async () => {
    site = await startSite(signInPolicy);
    // A pool that takes only passkeys that verified the user (PIN, biometrics).
    strict = await startSite({ ...signInPolicy, webAuthn: { userVerification: "required" } });
  });
  afterAll(async () => {
    await site.close();
    await strict.close();
  });

  /**
   * A page of the site on `localhost` — passkeys need a secure context and a relying party id
   * that is a name, not an address — with a CDP virtual authenticator (built in, verifying the
   * user unless told otherwise).
   */
  async function passkeyPage(on: typeof site, isUserVerified = true) {
    const context = await on.context();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified, automaticPresenceSimulation: true },
    });
    await page.goto(on.url.replace("127.0.0.1", "localhost"));
    await eventually(() => status(page).textContent()).toBe("signedOut");
    return { page, cdp, authenticatorId };
  }

  /** Adds a passkey from the profile of `email`, signed in with the password. */
  async function addPasskey(page: Page, email: string) {
    await signIn(page, email);
    const passkeys = page.getByRole("region", { name: "Passkeys" });
    await eventually(() => passkeys.textContent()).toContain("No passkey yet.");
    await passkeys.getByRole("button", { name: "Add a passkey" }).click();
    await eventually(() => passkeys.getByRole("listitem").count()).toBe(1);
    await page.getByRole("button", { name: "Sign out" }).click();
    await eventually(() => status(page).textContent()).toBe("signedOut");
  }

  it("registers a passkey, signs out, and signs in with it (the email filled in from last time)", async () => {
    const email = await confirmedUser(site.emulator);
    const { page, cdp, authenticatorId } = await passkeyPage(site);
    await addPasskey(page, email);
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);

    const passwordless = page.getByRole("form", { name: "Passwordless sign-in" });
    expect(await passwordless.getByLabel("Email").inputValue()).toBe(email);
    await passwordless.getByRole("button", { name: "Sign in with a passkey" }).click();
    await eventually(() => status(page).textContent()).toBe("signedIn");
    expect(await page.getByTestId("email").textContent()).toBe(email);
    // The authenticator signed once more.
    const after = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(after.credentials[0]!.signCount).toBeGreaterThan(credentials[0]!.signCount);
  }, 60_000);

  it("signs in with a code sent by email", async () => {
    const email = await confirmedUser(site.emulator);
    const page = await openSignedOut(await site.context(), site.url);
    const passwordless = page.getByRole("form", { name: "Passwordless sign-in" });
    await passwordless.getByLabel("Email").fill(email);
    await passwordless.getByRole("button", { name: "Email me a code" }).click();
    const codeForm = page.getByRole("form", { name: "Sign-in code" });
    await eventually(() => page.getByTestId("sign-in-code").textContent()).toMatch(/^\d{6,8}$/);
    const code = (await page.getByTestId("sign-in-code").textContent())!;
    expect(code).toBe(site.emulator.outbox.latest(email)?.code);
    await codeForm.getByLabel("Code").fill(code);
    await codeForm.getByRole("button", { name: "Sign in" }).click();
    await eventually(() => status(page).textContent()).toBe("signedIn");
    expect(await page.getByTestId("email").textContent()).toBe(email);
  }, 60_000);

  it("refuses a passkey sign-in whose authenticator does not verify the user, where the pool requires it", async () => {
    const email = await confirmedUser(strict.emulator);
    const { page, cdp, authenticatorId } = await passkeyPage(strict);
    await addPasskey(page, email);
    // The same authenticator, no longer able to verify the user. Chrome refuses with the
    // NotAllowedError it also gives a dismissed prompt: the user is told to try again.
    await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: false });
    await page.getByRole("form", { name: "Passwordless sign-in" }).getByRole("button", { name: "Sign in with a passkey" }).click();
    await eventually(() => page.getByRole("form", { name: "Passwordless sign-in" }).getByRole("alert").textContent()).toContain("ERR_PASSKEY_CANCELED");
    expect(await status(page).textContent()).toBe("signedOut");
  }, 60_000);
});

describe("remembered devices", () => {
  it("lists the device a sign-in confirmed, remembers it, and forgets it", async () => {
    // The pool remembers devices on the user's say-so, as the dev server's does.
    const site = await startSite({ deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true } });
    try {
      const email = await confirmedUser(site.emulator);
      const page = await (await site.context()).newPage();
      await page.goto(site.url);
      await signIn(page, email);
      const devices = page.getByRole("region", { name: "Devices" });
      await eventually(() => devices.getByTestId("device").textContent()).toMatch(/\(this device\) · not remembered/);
      await devices.getByRole("button", { name: "Remember this device" }).click();
      await eventually(() => devices.getByTestId("device").textContent()).toMatch(/\(this device\) · remembered/);
      await devices.getByRole("button", { name: "Forget" }).click();
      await eventually(() => devices.count()).toBe(0);
      expect(site.emulator.callCount("ForgetDevice")).toBe(1);
    } finally {
      await site.close();
    }
  }, 60_000);
});
