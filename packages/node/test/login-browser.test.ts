import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineAuth } from "@cogkit/core";
import { type Emulator, startEmulator } from "@cogkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentAtFakeProvider, signInThroughHostedUi } from "../../../test/hosted-ui-support.js";
import { bundleCli } from "./cli-bundle.js";
import { confirmedUser, emulatorEnv, password, runNode, startNode } from "./support.js";

describe("cogkit login --browser: the hosted UI through a loopback redirect, against the emulator", () => {
  let emulator: Emulator;
  let bundle: { dir: string; cli: string };
  let home: string;
  let profiles = 0;
  const opener = (name: string) => join(bundle.dir, `${name}.js`);

  beforeAll(async () => {
    [emulator, bundle, home] = await Promise.all([
      startEmulator({
        quiet: true,
        auth: defineAuth({
          loginWith: {
            email: true,
            externalProviders: { google: { clientId: "google-client" }, callbackUrls: ["http://127.0.0.1/callback", "http://localhost/cogkit/done"], logoutUrls: ["http://127.0.0.1/"] },
          },
        }),
      }),
      bundleCli({ "browser-opener": fileURLToPath(new URL("./browser-opener.ts", import.meta.url)) }),
      mkdtemp(join(tmpdir(), "cogkit-home-")),
    ]);
  });
  afterAll(async () => {
    await emulator.stop();
    await rm(bundle.dir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  /** A profile of its own that points at the emulator's hosted UI, its "browser" noting the URLs it is given. */
  function browserEnv(extra: Record<string, string> = {}) {
    const profile = `b${++profiles}`;
    return emulatorEnv(emulator, home, profile, {
      COGKIT_DOMAIN: emulator.url,
      COGKIT_BROWSER: `${process.execPath} ${opener("browser-opener")}`,
      COGKIT_TEST_OPENED: join(home, `${profile}.opened`),
      ...extra,
    });
  }
  /** Starts the login and reads the URL it prints. */
  async function startLogin(args: string[], env: Record<string, string>) {
    const login = startNode(bundle.cli, ["login", "--browser", ...args], env);
    const [, url] = await login.stderrMatch(/Open this URL to sign in:\s+(\S+)/);
    return { login, url: url! };
  }
  /** Where the login's loopback server waits, and the state it waits for. */
  const callbackOf = (authorizeUrl: string) => {
    const query = new URL(authorizeUrl).searchParams;
    return { redirectUri: query.get("redirect_uri")!, state: query.get("state")! };
  };
  const whoami = async (env: Record<string, string>) => {
    const run = await runNode(bundle.cli, ["whoami", "--json"], env);
    return { code: run.code, who: run.code === 0 ? JSON.parse(run.stdout) : undefined };
  };
  /** Whether anything still listens at `url`'s port. */
  const listening = (url: string) => fetch(url).then(() => true, () => false);

  it("signs a user in through the printed URL; whoami, tokens and credentials then use the session", async () => {
    const email = await confirmedUser(emulator);
    const env = browserEnv();
    const { login, url } = await startLogin([], env);
    const authorize = new URL(url);
    expect(authorize.origin + authorize.pathname).toBe(`${emulator.url}/oauth2/authorize`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    const { redirectUri } = callbackOf(url);
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const callback = await signInThroughHostedUi(url, { username: email, password });
    // The browser arrives at the loopback server.
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/You can close this window/);
    expect(html).not.toContain(new URL(callback).searchParams.get("code")!);

    const run = await login.done;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Signed in as ${email} (profile ${env.COGKIT_PROFILE}).`);
    expect(await readFile(env.COGKIT_TEST_OPENED!, "utf8")).toBe(`${url}\n`);
    expect(await listening(redirectUri)).toBe(false);

    expect(await whoami(env)).toMatchObject({ code: 0, who: { email, profile: env.COGKIT_PROFILE } });
    const tokens = await runNode(bundle.cli, ["tokens", "--access"], env);
    expect(tokens.code).toBe(0);
    const credentials = await runNode(bundle.cli, ["credentials"], env);
    expect(credentials.code).toBe(0);
    expect(JSON.parse(credentials.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.any(String) });
  });

  it("with --provider Google and --scopes, goes to the fake Google's consent page and signs the federated user in", async () => {
    const env = browserEnv();
    const { login, url } = await startLogin(["--provider", "Google", "--scopes", "openid,email,profile"], env);
    const query = new URL(url).searchParams;
    expect(query.get("identity_provider")).toBe("Google");
    expect(query.get("scope")).toBe("openid email profile");
    const sub = `g-${Date.now()}`;
    const email = `${sub}@gmail.example`;
    const callback = await consentAtFakeProvider(url, { sub, email, name: "Gia Google" });
    expect((await fetch(callback)).status).toBe(200);
    expect((await login.done).code).toBe(0);
    const { who } = await whoami(env);
    expect(who).toMatchObject({ email });
    expect(String(who.username).toLowerCase()).toBe(`google_${sub}`.toLowerCase());
  });

  it("refuses a callback with another state or path and waits on; the right callback then signs in", async () => {
    const email = await confirmedUser(emulator);
    const env = browserEnv();
    const { login, url } = await startLogin([], env);
    const { redirectUri, state } = callbackOf(url);
    const wrongState = await fetch(`${redirectUri}?code=forged&state=not-${state}`);
    expect(wrongState.status).toBe(400);
    expect(await wrongState.text()).toMatch(/not the sign-in that cogkit login is waiting for/);
    expect((await fetch(`${new URL(redirectUri).origin}/elsewhere?state=${state}`)).status).toBe(404);
    expect((await fetch(`${redirectUri}?code=forged`)).status).toBe(400);

    const callback = await signInThroughHostedUi(url, { username: email, password });
    expect((await fetch(callback)).status).toBe(200);
    expect((await login.done).code).toBe(0);
    expect(await whoami(env)).toMatchObject({ who: { email } });
  });

  it("ends with exit code 4 and a clear message when the browser comes back with error=access_denied, and nobody is signed in", async () => {
    // No browser can be opened here: the printed URL is the way.
    const env = browserEnv({ COGKIT_BROWSER: join(home, "no-such-browser") });
    const { login, url } = await startLogin([], env);
    const { redirectUri, state } = callbackOf(url);
    const page = await fetch(`${redirectUri}?error=access_denied&error_description=User+cancelled&state=${state}`);
    expect(page.status).toBe(400);
    expect(await page.text()).not.toContain("cancelled");
    const run = await login.done;
    // Exit code 4: the sign-in was refused.
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/cogkit login: .*access_denied.*User cancelled/);
    expect(await listening(redirectUri)).toBe(false);
    expect((await whoami(env)).code).toBe(3);
  });

  it("gives up after --timeout seconds without a callback, closing its server", async () => {
    const env = browserEnv();
    const { login, url } = await startLogin(["--timeout", "0.5"], env);
    const run = await login.done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no sign-in came back from the browser within/);
    expect(await listening(callbackOf(url).redirectUri)).toBe(false);
  });

  it("listens on the port of a registered loopback callback URL, with its path", async () => {
    const email = await confirmedUser(emulator);
    const { deadEndpoint } = await import("./support.js");
    const port = new URL(await deadEndpoint()).port;
    const env = browserEnv({ COGKIT_CALLBACK_URL: `http://localhost:${port}/cogkit/done` });
    const { login, url } = await startLogin([], env);
    expect(callbackOf(url).redirectUri).toBe(`http://localhost:${port}/cogkit/done`);
    const callback = await signInThroughHostedUi(url, { username: email, password });
    // The server listens on 127.0.0.1, which is what localhost is to the browser here.
    expect((await fetch(callback.replace("//localhost:", "//127.0.0.1:"))).status).toBe(200);
    expect((await login.done).code).toBe(0);
  });

  it("says what is missing or wrong before anything starts (exit code 2)", async () => {
    const noDomain = await runNode(bundle.cli, ["login", "--browser"], browserEnv({ COGKIT_DOMAIN: "" }));
    expect(noDomain.code).toBe(2);
    expect(noDomain.stderr).toMatch(/needs the hosted UI's domain: set COGKIT_DOMAIN/);
    const notLoopback = await runNode(bundle.cli, ["login", "--browser"], browserEnv({ COGKIT_CALLBACK_URL: "https://app.example.com/callback" }));
    expect(notLoopback.code).toBe(2);
    expect(notLoopback.stderr).toMatch(/must be a loopback http URL/);
    expect((await runNode(bundle.cli, ["login", "--provider", "Google"], browserEnv())).stderr).toMatch(/--provider goes with --browser/);
    expect((await runNode(bundle.cli, ["login", "--browser", "--scopes", "email"], browserEnv())).stderr).toMatch(/--scopes must include openid/);
    expect((await runNode(bundle.cli, ["login", "--browser", "--timeout", "soon"], browserEnv())).code).toBe(2);
  });
});
