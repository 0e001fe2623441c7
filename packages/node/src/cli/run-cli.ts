import type { AuthClient, SignInNextStep, UserAttributeSchema } from "@cogkit/core";
import { credentialsCacheKey, signedInMarkKey } from "../credentials/credentials-cache.js";
import { freshTokens } from "../credentials/fresh-tokens.js";
import { getCredentials, transportFor } from "../credentials/get-credentials.js";
import { type ResolvedSettings, resolveSettings } from "../credentials/resolve-settings.js";
import { createFileStorage } from "../storage/file-storage.js";
import { exitCodes } from "./exit-codes.js";
import { parseCommandLine } from "./parse-command-line.js";
import { retryTransient } from "./retry-transient.js";

/** Where the CLI reads and writes; the process's streams in `cogkit`, others in tests. */
export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export const helpText = `Usage: cogkit <command> [options]

Commands:
  login          Sign in and keep the session in the profile's file.
                 Prompts for what is missing (the password hidden); without a terminal,
                 give the username (--username or COGKIT_USERNAME) and the password on
                 stdin with --password-stdin.
                 On a terminal, it takes every step Cognito asks for: a new password
                 (typed twice, hidden) and required attributes; the code sent by SMS or
                 email (where it went is shown masked); an authenticator app's code;
                 which second factor to use; setting up an authenticator app (prints
                 its otpauth:// URI and secret, then asks for the first code); a custom
                 challenge's answer. A wrong password or code is asked again, 3 tries
                 each (a new account's confirmation code too).
                 With --browser, signs in on the hosted UI (managed login) in the
                 browser instead: the pool's own page, or Google, Apple, Facebook,
                 Amazon, an OIDC or SAML provider (--provider). The URL is printed, and
                 opened with COGKIT_BROWSER, else BROWSER, else the system's opener
                 ("none": not opened); the browser comes back to a server on
                 127.0.0.1 (COGKIT_CALLBACK_URL's port when it has one, else a free
                 one). Needs COGKIT_DOMAIN; waits --timeout seconds (default 300).
  logout         Sign out here (--global: revoke every token of the user) and forget the
                 profile's session and credentials.
  whoami         Print the signed-in user.
  attributes     Print the signed-in user's attributes as Cognito holds them (name=value
                 lines; --json: one object). --set name=value (repeatable) changes them,
                 by Cognito name (given_name, custom:plan; an empty value removes one),
                 and says which wait for a code: a new email or phone number is used
                 once verified with --verify email --code <code> (asked for on a
                 terminal when --code is left out). A wrong code exits 4.
  credentials    Print AWS credentials as credential_process JSON, for ~/.aws/config:
                   credential_process = cogkit credentials --profile <name>
                 With nobody signed in (after logout), a guest's credentials, which
                 it says on stderr.
  tokens         Print the ID token (--id, the default) or the access token (--access).
  access-token   Print an access token of a confidential app client (the OAuth client
                 credentials grant), for machine-to-machine calls: --scopes chooses them
                 (all the client's own without it). Needs COGKIT_CLIENT_ID,
                 COGKIT_CLIENT_SECRET and COGKIT_DOMAIN. The token is cached in the
                 profile's file until shortly before it expires.

Options:
  --profile <name>    Which session (and config file section); COGKIT_PROFILE, else "default".
  --username <name>   login: who signs in.
  --password-stdin    login: read the password from stdin.
  --browser           login: on the hosted UI, in the browser.
  --provider <name>   login --browser: Google, Apple, Facebook, Amazon, COGNITO, or the name
                      of the pool's OIDC or SAML provider.
  --timeout <seconds> login --browser: how long to wait for the browser (default 300,
                      at most 600).
  --global            logout: also revoke the user's tokens everywhere.
  --set <name=value>  attributes: change an attribute (repeatable).
  --verify <name>     attributes: verify email or phone_number with the code sent.
  --code <code>       attributes --verify: the code.
  --scopes <list>     login --browser, access-token: OAuth scopes, separated by spaces or commas.
  --json              Machine-readable output.
  -h, --help          This help.

Settings come from COGKIT_REGION, COGKIT_USER_POOL_ID, COGKIT_CLIENT_ID,
COGKIT_IDENTITY_POOL_ID, COGKIT_USER_POOL_ENDPOINT, COGKIT_IDENTITY_POOL_ENDPOINT,
COGKIT_CLIENT_SECRET, COGKIT_DOMAIN (the hosted UI's domain), COGKIT_CALLBACK_URL
(login --browser's registered loopback callback URL), or the profile's section of $XDG_CONFIG_HOME/cogkit/config.json
({ "profiles": { "default": { "userPoolId": "...", "userPoolClientId": "...", ... } } }).

Exit codes:
  0  success
  1  failure (network, service, file system), or the command stopped unfinished
  2  usage: wrong arguments or settings, a cogkit file or directory that is not
     yours alone, or a prompt needed without a terminal
  3  not signed in (or the session ended): run cogkit login
  4  sign-in refused (wrong username or password, unconfirmed user, a wrong code
     three times, a step Cognito added that the CLI does not know; login --browser:
     the hosted UI or the provider refused (access_denied); access-token: a wrong
     client id or secret)
  5  sign-in needs a further step (new password, MFA code, MFA setup) and there is
     no terminal to ask: --password-stdin, or stdin not a terminal
`;

/** After a usage error, in place of the whole help. */
const helpHint = "Run cogkit --help for the commands and their options.";

/** How many passwords and sign-up codes `login` takes before it gives up (as for a step's codes). */
const tries = 3;

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/**
 * Runs the `cogkit` command line with `argv` (without `node` and the script); resolves with
 * the exit code. Only `credentials` with fresh cached credentials stays off the network,
 * and then it loads nothing but this file's own code.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (!parsed.ok) {
    io.stderr.write(`cogkit: ${parsed.message}\n${helpHint}\n`);
    return exitCodes.usage;
  }
  const { values, positionals } = parsed;
  const [first, ...extra] = positionals;
  const command = first?.value;
  if (values.help || command === "help") {
    io.stdout.write(helpText);
    return exitCodes.ok;
  }
  // Only a known command is repeated: anything else may be a password typed in the wrong place.
  const wrong =
    first === undefined
      ? "which command?"
      : !Object.hasOwn(commands, first.value)
        ? `argument ${first.argument} is not a cogkit command (not shown: it may be a secret)`
        : extra.length > 0
          ? `${command} takes no argument ${extra[0]!.argument} (not shown: it may be a secret)`
          : undefined;
  if (wrong !== undefined) {
    io.stderr.write(`cogkit: ${wrong}\n${helpHint}\n`);
    return exitCodes.usage;
  }
  try {
    await commands[command as keyof typeof commands](values, io);
    return exitCodes.ok;
  } catch (error) {
    const [message, exitCode] = await explain(error, () => settingsFor(values, io));
    io.stderr.write(`cogkit ${command}: ${message}\n`);
    return exitCode;
  }
}

// What each step asks for, for the error when there is no terminal to ask it.
const stepNeeds: Record<Exclude<SignInNextStep["type"], "done" | "confirmSignUp">, string> = {
  newPasswordRequired: "a new password",
  smsMfa: "a code sent by SMS",
  emailMfa: "a code sent by email",
  totpMfa: "a code from the authenticator app",
  selectMfaType: "a choice of second factor",
  mfaSetup: "a second factor set up",
  customChallenge: "an answer to a custom challenge",
  // Choice-based sign-in's steps; `cogkit login` signs in with the password, so they come only from other callers.
  selectFirstFactor: "a choice of how to sign in",
  emailOtp: "a code sent by email",
  smsOtp: "a code sent by SMS",
  password: "the password",
};

type Values = Record<string, string | string[] | boolean | undefined>;

const commands = {
  async "access-token"(values: Values, io: CliIo) {
    const scopes = scopesOf(values);
    const { getAccessToken } = await import("../access-token/get-access-token.js");
    const token = await getAccessToken({ scopes, profile: values.profile as string | undefined, env: io.env });
    if (values.json) io.stdout.write(`${JSON.stringify({ ...token, expiresAt: token.expiresAt.toISOString() })}\n`);
    else io.stdout.write(`${token.accessToken}\n`);
  },

  async attributes(values: Values, io: CliIo) {
    const { attributesRequest, runAttributes } = await import("./attributes-command.js");
    const request = attributesRequest(values);
    if (typeof request === "string") throw new CliError(request, exitCodes.usage);
    const interactive = io.stdin.isTTY === true;
    if (request.kind === "verify" && request.code === undefined && !interactive) {
      throw new CliError("--verify needs --code <code> (there is no terminal to ask for it)", exitCodes.usage);
    }
    const settings = await settingsFor(values, io);
    const definition = request.kind === "set" ? { userAttributes: request.schema } : {};
    await withClient(
      settings,
      async (client, core) => {
        // Waits out a passing refresh failure, as whoami does; and says "run cogkit login" when signed out.
        await freshTokens(core, client);
        const askCode = async () => (await import("./prompt.js")).ask(io, `Code sent for ${request.kind === "verify" ? request.attribute : ""}: `);
        await runAttributes(core, client, request, { stdout: io.stdout, stderr: io.stderr, json: values.json === true, askCode: interactive ? askCode : undefined });
      },
      definition,
    );
  },

  async credentials(values: Values, io: CliIo) {
    // The fetch transport: no AWS SDK to load, and no Node-version warning of its on stderr.
    const credentials = await getCredentials({ profile: values.profile as string | undefined, env: io.env, transport: "fetch" });
    if (!credentials.authenticated) {
      io.stderr.write("cogkit credentials: nobody is signed in, so these are guest credentials (the identity pool's role for unauthenticated users); run cogkit login to sign in\n");
    }
    io.stdout.write(
      `${JSON.stringify({
        Version: 1,
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        SessionToken: credentials.sessionToken,
        Expiration: credentials.expiration.toISOString(),
      })}\n`,
    );
  },

  async login(values: Values, io: CliIo) {
    if (values.browser) return loginInBrowser(values, io);
    for (const option of ["provider", "scopes", "timeout"]) {
      if (values[option] !== undefined) throw new CliError(`--${option} goes with --browser`, exitCodes.usage);
    }
    const settings = await settingsFor(values, io);
    const interactive = io.stdin.isTTY === true;
    let username = (values.username as string | undefined) ?? settings.username;
    let password: string | undefined;
    if (values["password-stdin"]) {
      password = (await readAll(io.stdin)).replace(/\r?\n$/, "");
      if (password === "") throw new CliError("--password-stdin: stdin held no password", exitCodes.usage);
      if (username === undefined) throw new CliError("--password-stdin needs --username (or COGKIT_USERNAME)", exitCodes.usage);
    } else if (!interactive) {
      throw new CliError("no terminal to ask for the password: pipe it in with --password-stdin (and give --username)", exitCodes.usage);
    }
    // On a terminal, what is missing is asked for; a wrong password is asked again.
    const asking = !values["password-stdin"];
    const askedName = username === undefined;
    const ask = async (question: string, hidden = false) => (await import("./prompt.js")).ask(io, question, { hidden });
    await withClient(settings, async (client, core, retry) => {
      let nextStep: SignInNextStep | undefined;
      for (let attempt = 1; nextStep === undefined; attempt++) {
        if (asking) {
          if (askedName) username = await ask("Username: ");
          password = await ask("Password: ", true);
        }
        try {
          ({ nextStep } = await retry(() => client.signIn({ username: username!, password: password! })));
        } catch (error) {
          if (!asking || attempt >= tries || !wrongPassword(core, error)) throw error;
          io.stderr.write("Wrong username or password; try again.\n");
        }
      }
      if (nextStep.type === "confirmSignUp" && interactive) {
        const { codeDelivery } = await retry(() => client.resendSignUpCode({ username: username! }));
        io.stderr.write(`This account is not confirmed yet; a code was sent to ${codeDelivery.destination ?? "you"}.\n`);
        for (let attempt = 1; ; attempt++) {
          const code = await ask("Confirmation code: ");
          try {
            await retry(() => client.confirmSignUp({ username: username!, code }));
            break;
          } catch (error) {
            if (attempt >= tries || !core.isAuthError(error, "ERR_CODE_MISMATCH")) throw error;
            io.stderr.write("Wrong code; try again.\n");
          }
        }
        ({ nextStep } = await retry(() => client.signIn({ username: username!, password: password! })));
      }
      if (nextStep.type !== "done" && nextStep.type !== "confirmSignUp") {
        if (!interactive || values["password-stdin"]) {
          throw new CliError(
            `signing in needs ${stepNeeds[nextStep.type]} and there is no terminal to ask: run cogkit login on a terminal`,
            exitCodes.stepNeedsTerminal,
          );
        }
        const { answerSignInSteps } = await import("./answer-sign-in-steps.js");
        nextStep = await answerSignInSteps(client, nextStep, { io, username: username!, retry });
      }
      if (nextStep.type !== "done") {
        throw new CliError("this account is not confirmed yet: run cogkit login on a terminal to enter its code", exitCodes.signInRefused);
      }
      await announceSignIn(client, settings, values, io);
    });
  },

  async logout(values: Values, io: CliIo) {
    const settings = await settingsFor(values, io);
    await withClient(settings, async (client, _core, retry) => {
      await retry(() => client.signOut(values.global ? { global: true } : {}));
    });
    await forgetCredentials(settings);
    // From now on, guest credentials are what this profile gives.
    await profileStorage(settings).removeItem(signedInMarkKey(settings.config.userPoolClientId));
    if (!values.json) io.stderr.write(`Signed out (profile ${settings.profile}).\n`);
  },

  async whoami(values: Values, io: CliIo) {
    const settings = await settingsFor(values, io);
    await withClient(settings, async (client, core) => {
      const { idToken, expiresAt } = await freshTokens(core, client);
      const p = idToken.payload;
      const who = {
        username: p["cognito:username"],
        sub: p.sub,
        email: p.email,
        groups: p["cognito:groups"] ?? [],
        profile: settings.profile,
        expiresAt: new Date(expiresAt).toISOString(),
      };
      if (values.json) io.stdout.write(`${JSON.stringify(who)}\n`);
      else io.stdout.write(`${String(who.email ?? who.username)} (sub ${String(who.sub)}, profile ${who.profile})\n`);
    });
  },

  async tokens(values: Values, io: CliIo) {
    if (values.id && values.access) throw new CliError("choose --id or --access", exitCodes.usage);
    const settings = await settingsFor(values, io);
    await withClient(settings, async (client, core) => {
      const tokens = await freshTokens(core, client);
      if (values.json) {
        io.stdout.write(`${JSON.stringify({ idToken: tokens.idToken.jwt, accessToken: tokens.accessToken.jwt, expiresAt: new Date(tokens.expiresAt).toISOString() })}\n`);
      } else {
        io.stdout.write(`${values.access ? tokens.accessToken.jwt : tokens.idToken.jwt}\n`);
      }
    });
  },
};

/** After a sign-in: credentials of whoever was here before are dropped, the profile marked, the user named. */
async function announceSignIn(client: AuthClient, settings: ResolvedSettings, values: Values, io: CliIo) {
  const { payload } = (await client.getTokens()).idToken;
  // Credentials cached for whoever was signed in before are not this user's; and the
  // profile remembers that someone signed in, so a lost session never turns guest.
  await forgetCredentials(settings);
  await profileStorage(settings).setItem(signedInMarkKey(settings.config.userPoolClientId), String(payload.sub));
  const who = { username: payload["cognito:username"], sub: payload.sub, email: payload.email, profile: settings.profile };
  if (values.json) io.stdout.write(`${JSON.stringify(who)}\n`);
  else io.stderr.write(`Signed in as ${String(payload.email ?? who.username)} (profile ${settings.profile}).\n`);
}

/**
 * `cogkit login --browser`: the hosted UI in the user's browser, back through a loopback
 * redirect (see {@link browserSignIn}); the session lands in the profile's file as with a
 * password sign-in.
 */
async function loginInBrowser(values: Values, io: CliIo) {
  if (values.username !== undefined || values["password-stdin"]) {
    throw new CliError("--browser signs in on the hosted UI's page: it takes no --username or --password-stdin", exitCodes.usage);
  }
  const seconds = values.timeout === undefined ? 300 : Number(values.timeout);
  // Core keeps a sign-in request for 10 minutes: a callback after that is refused anyway.
  if (!(seconds > 0 && seconds <= 600)) throw new CliError("--timeout takes a number of seconds, at most 600", exitCodes.usage);
  const scopes = scopesOf(values);
  if (scopes && !scopes.includes("openid")) throw new CliError('--scopes must include openid: the ID token it brings is the session', exitCodes.usage);
  const settings = await settingsFor(values, io);
  const { domain, config, profile, dir } = settings;
  if (domain === undefined) {
    throw new CliError(`--browser needs the hosted UI's domain: set COGKIT_DOMAIN, or add "domain" to profile "${profile}" of the config file`, exitCodes.usage);
  }
  const { browserSignIn, BrowserSignInError, loopbackAddress } = await import("./browser-sign-in.js");
  const address = loopbackAddress(settings.callbackUrl);
  if (address === undefined) {
    throw new CliError(
      "the callback URL (COGKIT_CALLBACK_URL, or callbackUrl in the config file) must be a loopback http URL: http://127.0.0.1:<port>/<path> or http://localhost:<port>/<path>",
      exitCodes.usage,
    );
  }
  const [core, hostedUi] = await Promise.all([import("@cogkit/core"), import("@cogkit/core/hosted-ui")]);
  const { createNodePlatform } = await import("../platform/node-platform.js");
  const platform = createNodePlatform({ profile, dir, clientId: config.userPoolClientId });
  const transport = await transportFor("fetch", config);
  let client: AuthClient;
  try {
    client = await browserSignIn({
      address,
      hostedUi,
      provider: values.provider as string | undefined,
      scopes,
      timeoutMs: seconds * 1000,
      env: io.env,
      stderr: io.stderr,
      // The loopback URL is this client's one callback URL: its port is known only now.
      clientFor: async (redirectUri) =>
        core.createAuthClient({ ...config, loginWith: { externalProviders: { domain, callbackUrls: [redirectUri], logoutUrls: [] } } }, { platform, transport }),
    });
  } catch (error) {
    if (error instanceof BrowserSignInError) throw new CliError(error.message, exitCodes.failed);
    throw error;
  }
  try {
    await announceSignIn(client, settings, values, io);
  } finally {
    client.dispose();
  }
}

/** `--scopes`: scope names separated by spaces or commas; `undefined` when not given. */
function scopesOf(values: Values): string[] | undefined {
  if (values.scopes === undefined) return undefined;
  const scopes = String(values.scopes).split(/[\s,]+/).filter(Boolean);
  if (scopes.length === 0) throw new CliError("--scopes names no scope", exitCodes.usage);
  // Printable ASCII without quotes or backslashes (RFC 6749 §3.3); the value is not repeated.
  if (!scopes.every((scope) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope))) {
    throw new CliError("--scopes: a scope name is printable ASCII without quotes or backslashes (not shown: it may be a secret)", exitCodes.usage);
  }
  return scopes;
}

function settingsFor(values: Values, io: CliIo): Promise<ResolvedSettings> {
  return resolveSettings({ profile: values.profile as string | undefined, env: io.env });
}

function profileStorage({ config, dir, profile }: ResolvedSettings) {
  return createFileStorage({ dir, profile, clientId: config.userPoolClientId });
}

async function forgetCredentials(settings: ResolvedSettings) {
  if (!settings.config.identityPoolId) return;
  await profileStorage(settings).removeItem(credentialsCacheKey(settings.config.identityPoolId));
}

/** Runs `task` with a client of the profile, on core's fetch transport, and a retry of transient failures for its interactive calls. */
async function withClient(
  settings: ResolvedSettings,
  task: (client: AuthClient, core: typeof import("@cogkit/core"), retry: Retry) => Promise<void>,
  definition: { userAttributes?: UserAttributeSchema } = {},
): Promise<void> {
  const core = await import("@cogkit/core");
  const { createNodePlatform } = await import("../platform/node-platform.js");
  const { config, profile, dir } = settings;
  const platform = createNodePlatform({ profile, dir, clientId: config.userPoolClientId });
  // The fetch transport rather than the AWS SDK's: it starts faster, and prints no Node-version warning.
  const client = core.createAuthClient({ ...config, ...definition }, { platform, transport: await transportFor("fetch", config) });
  // A pool that tracks devices refreshes only for a confirmed device, and a remembered one skips MFA.
  core.trackDevices(client);
  try {
    await task(client, core, (call) => retryTransient(call, platform.clock!));
  } finally {
    client.dispose();
  }
}

/** Runs one interactive call, again after a transient failure (see {@link retryTransient}). */
export type Retry = <T>(call: () => Promise<T>) => Promise<T>;

/** Cognito refused the username and password (and not for too many attempts: asking again would not help). */
function wrongPassword(core: typeof import("@cogkit/core"), error: unknown): boolean {
  return (core.isAuthError(error, "ERR_NOT_AUTHORIZED") && !/attempts exceeded/i.test(error.message)) || core.isAuthError(error, "ERR_USER_NOT_FOUND");
}

async function explain(error: unknown, settings: () => Promise<ResolvedSettings>): Promise<[string, number]> {
  if (error instanceof CliError) return [error.message, error.exitCode];
  const { isAuthError } = await import("@cogkit/core");
  if (!isAuthError(error)) return [error instanceof Error ? error.message : String(error), exitCodes.failed];
  // Cognito's API unreachable (the transport's messages start with the operation's target):
  // named with the setting to check. Other hosts (the token endpoint, the hosted UI) name themselves.
  if ((error.code === "ERR_NETWORK" || error.code === "ERR_TIMEOUT") && /^AWSCognitoIdentity(Provider)?Service\./.test(error.message)) {
    const { unreachableMessage } = await import("./unreachable-message.js");
    const resolved = await settings().catch(() => undefined);
    if (resolved) return [unreachableMessage(error, resolved.config), exitCodes.failed];
  }
  const message = error.code === "ERR_NOT_SIGNED_IN" && !/cogkit login/.test(error.message) ? `${error.message}: run cogkit login` : error.message;
  switch (error.code) {
    case "ERR_INVALID_CONFIG":
    case "ERR_NO_IDENTITY_POOL":
    case "ERR_INVALID_PARAMETER":
      return [message, exitCodes.usage];
    case "ERR_NOT_SIGNED_IN":
    case "ERR_TOKEN_REVOKED":
    case "ERR_REFRESH_TOKEN_REUSED":
    case "ERR_GUEST_ACCESS_DISABLED":
      return [message, exitCodes.notSignedIn];
    case "ERR_NOT_AUTHORIZED":
    case "ERR_USER_NOT_FOUND":
    case "ERR_USER_NOT_CONFIRMED":
    case "ERR_PASSWORD_RESET_REQUIRED":
    case "ERR_SIGN_IN_IN_PROGRESS":
    case "ERR_TOO_MANY_ATTEMPTS":
    case "ERR_CODE_MISMATCH":
    case "ERR_CODE_EXPIRED":
    case "ERR_INVALID_PASSWORD":
    case "ERR_UNEXPECTED_CHALLENGE":
      return [message, exitCodes.signInRefused];
    default:
      return [message, exitCodes.failed];
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

