/**
 * Drives the emulator's hosted UI (managed login) over real HTTP, the way a browser would
 * but without one: follows its redirects (`redirect: "manual"`), reads its plain HTML
 * forms, posts them back with every field, keeps its cookies. Shared by the tests of every
 * package (owned by the emulator's tests; add small functions with a comment).
 *
 * The pages it reads (see packages/emulator/src/oauth): `<main data-page="login|fake-provider|error">`;
 * forms are `<form method="post" action=… data-step=…>` with plain `<input name=… value=…>`;
 * errors are `<p class="error" role="alert">`; the MFA_SETUP step shows its secret in
 * `<code data-secret-code>` and its `otpauth://` URI in `<code data-otpauth-uri>`.
 */
import { createHash, randomBytes } from "node:crypto";

/**
 * The cookies of one fake browser. Like a browser, it keeps them per host name and ignores
 * ports (the emulator names its session cookie with the pool id for that reason).
 *
 * @example
 * const jar = createCookieJar();
 * await signInThroughHostedUi(url, { username, password, jar });
 * await signInThroughHostedUi(url, { jar }) // signed in already: straight back
 */
export interface CookieJar {
  /** The `Cookie` header to send to a URL, or undefined. */
  header(url: string): string | undefined;
  /** Keeps (or drops) the cookies a response sets. */
  remember(url: string, response: Response): void;
  /** Cookie names held for a URL's host. */
  names(url: string): string[];
}

/**
 * Creates an empty cookie jar.
 *
 * @example
 * const jar = createCookieJar();
 */
export function createCookieJar(): CookieJar {
  const hosts = new Map<string, Map<string, string>>();
  const of = (url: string) => {
    const host = new URL(url).hostname;
    let cookies = hosts.get(host);
    if (!cookies) hosts.set(host, (cookies = new Map()));
    return cookies;
  };
  return {
    header(url) {
      const cookies = of(url);
      return cookies.size === 0 ? undefined : [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    },
    remember(url, response) {
      const cookies = of(url);
      for (const line of response.headers.getSetCookie()) {
        const [pair = "", ...attributes] = line.split(";");
        const eq = pair.indexOf("=");
        if (eq <= 0) continue;
        const name = pair.slice(0, eq).trim();
        const expired = attributes.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a));
        if (expired) cookies.delete(name);
        else cookies.set(name, pair.slice(eq + 1).trim());
      }
    },
    names: (url) => [...of(url).keys()],
  };
}

/**
 * A hosted-UI page read from its HTML.
 *
 * @example
 * if (page.step === "SMS_MFA") await submitHostedUiForm(page, { code }, { jar });
 */
export interface HostedUiPage {
  url: string;
  status: number;
  html: string;
  /** `data-page` of `<main>`: `login`, `fake-provider` or `error`. */
  page: string | undefined;
  /** `data-step` of the form: `PASSWORD`, `SMS_MFA`, `EMAIL_OTP`, `SOFTWARE_TOKEN_MFA`, `SELECT_MFA_TYPE`, `MFA_SETUP`, `NEW_PASSWORD_REQUIRED`. */
  step: string | undefined;
  /** At MFA_SETUP: the authenticator secret (base32) and its `otpauth://totp/…` URI the page shows. */
  totpSetup?: { secret: string; uri: string | undefined } | undefined;
  /** The text of the page's error (`role="alert"`), if any. */
  error: string | undefined;
  /** The page's form: absolute action URL and every field with its current value. */
  form: { action: string; fields: Record<string, string> } | undefined;
}

/**
 * Where following the hosted UI ended: back at the app (a redirect off the hosted UI's
 * origin; `url` is the full callback URL), or on one of its pages.
 */
export type HostedUiStop = { kind: "callback"; url: string } | { kind: "page"; page: HostedUiPage };

/** Options of the functions that drive the hosted UI. */
export interface HostedUiOptions {
  /** A cookie jar (the hosted session); a fresh one per call when left out. */
  jar?: CookieJar;
}

const unescapeHtml = (text: string) =>
  text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of tag.matchAll(/([a-zA-Z_:][\w:.-]*)(?:\s*=\s*"([^"]*)")?/g)) attributes[match[1]!.toLowerCase()] = unescapeHtml(match[2] ?? "");
  return attributes;
}

/**
 * Reads a page's `data-page`, form, fields and error from its HTML.
 *
 * @example
 * const page = parseHostedUiPage(url, 200, await response.text());
 */
export function parseHostedUiPage(url: string, status: number, html: string): HostedUiPage {
  const page = /<main\b[^>]*\bdata-page="([^"]*)"/.exec(html)?.[1];
  const alert = /<p\b[^>]*role="alert"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1];
  const formMatch = /<form\b([^>]*)>([\s\S]*?)<\/form>/.exec(html);
  let form: HostedUiPage["form"];
  let step: string | undefined;
  if (formMatch) {
    const formAttributes = attributesOf(formMatch[1]!);
    step = formAttributes["data-step"];
    const fields: Record<string, string> = {};
    for (const input of formMatch[2]!.matchAll(/<input\b([^>]*)>/g)) {
      const attributes = attributesOf(input[1]!);
      if (attributes.name === undefined) continue;
      if (attributes.type === "radio" && !("checked" in attributes)) continue;
      fields[attributes.name] = attributes.value ?? "";
    }
    form = { action: new URL(formAttributes.action ?? url, url).href, fields };
  }
  const secret = /<code\b[^>]*\bdata-secret-code\b[^>]*>([^<]*)<\/code>/.exec(html)?.[1];
  const uri = /<code\b[^>]*\bdata-otpauth-uri\b[^>]*>([^<]*)<\/code>/.exec(html)?.[1];
  return {
    url,
    status,
    html,
    page: page === undefined ? undefined : unescapeHtml(page),
    step,
    totpSetup: secret === undefined ? undefined : { secret: unescapeHtml(secret).trim(), uri: uri === undefined ? undefined : unescapeHtml(uri).trim() },
    error: alert === undefined ? undefined : unescapeHtml(alert.replace(/<[^>]*>/g, "")).trim(),
    form,
  };
}

async function follow(start: { url: string; init: RequestInit }, origin: string, jar: CookieJar): Promise<HostedUiStop> {
  let url = start.url;
  let init: RequestInit = start.init;
  for (let hops = 0; hops < 20; hops++) {
    if (new URL(url).origin !== origin) return { kind: "callback", url };
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set("cookie", cookie);
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    jar.remember(url, response);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url).href;
      init = { method: "GET" };
      continue;
    }
    return { kind: "page", page: parseHostedUiPage(url, response.status, await response.text()) };
  }
  throw new Error("hosted UI: too many redirects");
}

/**
 * Opens a hosted-UI URL (usually `/oauth2/authorize?...`) and follows its redirects until it
 * leaves the hosted UI's origin (back at the app) or shows a page.
 *
 * @example
 * const stop = await openHostedUi(authorizeUrl);
 * if (stop.kind === "page") expect(stop.page.page).toBe("login");
 */
export function openHostedUi(url: string, options: HostedUiOptions = {}): Promise<HostedUiStop> {
  return follow({ url, init: { method: "GET" } }, new URL(url).origin, options.jar ?? createCookieJar());
}

/**
 * Posts a page's form with every field it has, `values` replacing or adding some, and
 * follows what comes back.
 *
 * @example
 * const next = await submitHostedUiForm(page, { username: "ana@example.com", password });
 */
export function submitHostedUiForm(page: HostedUiPage, values: Record<string, string>, options: HostedUiOptions = {}): Promise<HostedUiStop> {
  if (!page.form) throw new Error(`hosted UI: the page at ${page.url} has no form`);
  const body = new URLSearchParams({ ...page.form.fields, ...values });
  const init: RequestInit = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.toString() };
  return follow({ url: page.form.action, init }, new URL(page.url).origin, options.jar ?? createCookieJar());
}

/** What the login page asks after the password, and how a test answers. */
export interface SignInAnswers {
  username?: string;
  password?: string;
  /** Answer to NEW_PASSWORD_REQUIRED (users made with a temporary password). */
  newPassword?: string;
  /**
   * Sent with `newPassword`: the required attributes the user lacks, which that step asks
   * for by their wire names (`{ given_name: "Ana" }`). One left out is sent empty (and refused).
   */
  attributes?: Record<string, string>;
  /**
   * Answers MFA_SETUP (MFA required, nothing set up yet): the authenticator's code for the
   * secret the step shows. Pass `emulator.totp`, or a function that also keeps the secret
   * for the next sign-in's SOFTWARE_TOKEN_MFA step.
   */
  totp?: (secret: string) => string | Promise<string>;
  /**
   * The code of an SMS_MFA, EMAIL_OTP or SOFTWARE_TOKEN_MFA step: a string, or a function
   * called when the step shows (read the outbox or compute the TOTP then).
   */
  code?: string | ((step: string) => string | Promise<string>);
  /** Factor to pick at SELECT_MFA_TYPE (`SMS_MFA`, `EMAIL_OTP`, `SOFTWARE_TOKEN_MFA`); the first listed by default. */
  mfaType?: string;
}

function unexpected(stop: HostedUiStop, what: string): Error {
  if (stop.kind === "callback") return new Error(`hosted UI: ${what}, but it went back to ${stop.url}`);
  const { page } = stop;
  return new Error(`hosted UI: ${what}, but got page ${page.page ?? "?"} (${page.status})${page.error ? `: ${page.error}` : ""}`);
}

/**
 * Signs in on the hosted UI's own login page, over real HTTP: opens `authorizeUrl`, posts
 * the username and password, answers the steps that follow (new password and missing
 * required attributes, MFA code, factor choice, authenticator setup) from `answers`, and returns the callback URL the hosted UI sent the browser to
 * (with `code` and `state`, or `error`). With a `jar` whose hosted session is alive it comes
 * straight back without asking. Throws with the page's error text when a step fails.
 *
 * @example
 * const callback = await signInThroughHostedUi(authorizeUrl, { username: "ana@example.com", password: "Correct-horse-1" });
 * const code = new URL(callback).searchParams.get("code");
 * // MFA required and nothing set up yet: set up the authenticator the page shows
 * let secret = "";
 * await signInThroughHostedUi(authorizeUrl, { username, password, totp: (shown) => emulator.totp((secret = shown)) });
 */
export async function signInThroughHostedUi(authorizeUrl: string, answers: SignInAnswers & HostedUiOptions = {}): Promise<string> {
  const jar = answers.jar ?? createCookieJar();
  let stop = await openHostedUi(authorizeUrl, { jar });
  for (let steps = 0; steps < 6; steps++) {
    if (stop.kind === "callback") return stop.url;
    const { page } = stop;
    if (page.page !== "login" || !page.form) throw unexpected(stop, "expected the login page");
    const step = page.step ?? "";
    if (steps > 0 && page.error) throw unexpected(stop, `the ${step} step failed`);
    let values: Record<string, string>;
    if (step === "PASSWORD") {
      if (steps > 0) throw unexpected(stop, "the sign-in was refused");
      if (answers.username === undefined || answers.password === undefined) throw unexpected(stop, "the login page asks for a username and password");
      values = { username: answers.username, password: answers.password };
    } else if (step === "NEW_PASSWORD_REQUIRED") {
      if (answers.newPassword === undefined) throw unexpected(stop, "a new password is asked (pass newPassword)");
      // Every attribute input the step shows goes back, empty unless answered (as a browser posts it).
      values = { ...answers.attributes, newPassword: answers.newPassword };
    } else if (step === "MFA_SETUP") {
      if (answers.totp === undefined) throw unexpected(stop, "an authenticator must be set up at MFA_SETUP (pass totp)");
      if (!page.totpSetup) throw unexpected(stop, "the MFA_SETUP step shows no secret");
      values = { code: await answers.totp(page.totpSetup.secret) };
    } else if (step === "SELECT_MFA_TYPE") {
      values = answers.mfaType === undefined ? {} : { mfaType: answers.mfaType };
    } else {
      if (answers.code === undefined) throw unexpected(stop, `a code is asked at ${step} (pass code)`);
      values = { code: typeof answers.code === "string" ? answers.code : await answers.code(step) };
    }
    stop = await submitHostedUiForm(page, values, { jar });
  }
  throw unexpected(stop, "too many sign-in steps");
}

/** What the fake provider's consent page is told about its user. */
export interface ProviderUser {
  /** The user's id at the provider; the pool user is `<ProviderName>_<sub>`. */
  sub: string;
  email?: string;
  name?: string;
}

/**
 * Signs in through a fake external provider: opens `authorizeUrl` (with `identity_provider`,
 * e.g. `Google`), fills the provider's consent page with `user` and presses `Continue`,
 * and returns the callback URL the hosted UI sent the browser to.
 *
 * @example
 * const callback = await consentAtFakeProvider(`${authorizeUrl}&identity_provider=Google`, { sub: "1234", email: "ana@gmail.com" });
 */
export async function consentAtFakeProvider(authorizeUrl: string, user: ProviderUser & HostedUiOptions): Promise<string> {
  const jar = user.jar ?? createCookieJar();
  const stop = await openHostedUi(authorizeUrl, { jar });
  if (stop.kind === "callback") return stop.url;
  if (stop.page.page !== "fake-provider") throw unexpected(stop, "expected a fake provider's consent page");
  const values: Record<string, string> = { sub: user.sub };
  if (user.email !== undefined) values.email = user.email;
  if (user.name !== undefined) values.name = user.name;
  const next = await submitHostedUiForm(stop.page, values, { jar });
  if (next.kind !== "callback") throw unexpected(next, "expected to go back to the app");
  return next.url;
}

/**
 * A PKCE pair (RFC 7636, S256).
 *
 * @example
 * const { verifier, challenge } = createPkcePair();
 */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** The parameters of an `/oauth2/authorize` URL; `codeChallenge` is sent with method S256. */
export interface AuthorizeParameters {
  clientId: string;
  redirectUri: string;
  scopes?: readonly string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  /** `identity_provider`: `Google`, `SignInWithApple`, `Facebook`, `LoginWithAmazon`, an OIDC name, `COGNITO`. */
  provider?: string;
  prompt?: string;
  loginHint?: string;
  /** More or replacing parameters, as they go on the wire. */
  extra?: Record<string, string>;
}

/**
 * Builds an `/oauth2/authorize` URL on a hosted-UI domain by hand.
 *
 * @example
 * const url = authorizeUrl(emulator.url, { clientId, redirectUri: "http://localhost:3000/callback", codeChallenge: pkce.challenge, state: "s1" });
 */
export function authorizeUrl(domain: string, parameters: AuthorizeParameters): string {
  const query = new URLSearchParams({ response_type: "code", client_id: parameters.clientId, redirect_uri: parameters.redirectUri });
  const optional: Array<[string, string | undefined]> = [
    ["scope", parameters.scopes?.join(" ")],
    ["state", parameters.state],
    ["nonce", parameters.nonce],
    ["code_challenge", parameters.codeChallenge],
    ["code_challenge_method", parameters.codeChallenge === undefined ? undefined : "S256"],
    ["identity_provider", parameters.provider],
    ["prompt", parameters.prompt],
    ["login_hint", parameters.loginHint],
  ];
  for (const [name, value] of optional) if (value !== undefined) query.set(name, value);
  for (const [name, value] of Object.entries(parameters.extra ?? {})) query.set(name, value);
  return `${domain.replace(/\/+$/, "")}/oauth2/authorize?${query}`;
}

/** What `/oauth2/token` answered. */
export interface TokenAnswer {
  status: number;
  body: Record<string, any>;
  headers: Headers;
}

/**
 * Posts a form to `<domain>/oauth2/token` (client_secret_basic when `clientSecret` is given
 * with `basic: true`, client_secret_post otherwise).
 *
 * @example
 * const { body } = await postTokenRequest(emulator.url, { grant_type: "authorization_code", client_id, code, redirect_uri, code_verifier });
 */
export async function postTokenRequest(
  domain: string,
  form: Record<string, string>,
  options: { basic?: { clientId: string; clientSecret: string } } = {},
): Promise<TokenAnswer> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (options.basic) {
    const encode = (s: string) => encodeURIComponent(s);
    headers.authorization = `Basic ${Buffer.from(`${encode(options.basic.clientId)}:${encode(options.basic.clientSecret)}`).toString("base64")}`;
  }
  const response = await fetch(`${domain.replace(/\/+$/, "")}/oauth2/token`, { method: "POST", headers, body: new URLSearchParams(form).toString() });
  const text = await response.text();
  let body: Record<string, any>;
  try {
    body = JSON.parse(text) as Record<string, any>;
  } catch {
    body = { text };
  }
  return { status: response.status, body, headers: response.headers };
}
