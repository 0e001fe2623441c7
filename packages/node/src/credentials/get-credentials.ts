import type { AuthClient, CognitoTransport } from "@cogkit/core";
import { createFileStorage, type FileStorage } from "../storage/file-storage.js";
import { freshTokens } from "./fresh-tokens.js";
import {
  type CognitoAwsCredentials,
  credentialsCacheKey,
  encodeCachedCredentials,
  readCachedCredentials,
  sessionKey,
  signedInMarkKey,
  storedSubject,
  wasSignedIn,
} from "./credentials-cache.js";
import { type ResolvedSettings, resolveSettings, type SettingsSources } from "./resolve-settings.js";

/** Options of {@link getCredentials}: where the settings come from, and how to reach Cognito. */
export interface NodeCredentialsOptions extends SettingsSources {
  /** Ask Cognito even when the cached credentials are fresh. */
  forceRefresh?: boolean;
  /** Cached credentials are renewed this long before they expire; default 5 minutes. */
  marginMs?: number;
  /** `"aws-sdk"` (default: the AWS SDK v3 clients, loaded only when a request is needed), `"fetch"`, or a transport. */
  transport?: "aws-sdk" | "fetch" | CognitoTransport;
}

/**
 * AWS credentials for a script, a cron job or a server, in one call. Settings come from
 * `options`, the `COGKIT_*` environment variables or the config file (see
 * {@link resolveSettings}). The session and the credentials are kept in the profile's file
 * (see {@link createFileStorage}): a warm call reads that file and returns — no request, and
 * neither the AWS SDK nor the rest of cogkit is loaded. Otherwise it signs in with the
 * configured username and password when there is no session, refreshes the stored one when
 * needed (processes sharing the file refresh once, under a lock file), or gets a guest's
 * credentials when no user is configured and the identity pool allows guests.
 *
 * @example
 * // COGKIT_USER_POOL_ID, COGKIT_CLIENT_ID, COGKIT_IDENTITY_POOL_ID, COGKIT_USERNAME, COGKIT_PASSWORD set
 * const credentials = await getCredentials();
 * const s3 = new S3Client({ region: "eu-west-1", credentials });
 */
export async function getCredentials(options: NodeCredentialsOptions = {}): Promise<CognitoAwsCredentials> {
  const settings = await resolveSettings(options);
  const { config } = settings;
  // An unreadable file may have held anyone's session: it rules out guest credentials.
  let unreadable = false;
  const storage = createFileStorage({
    dir: settings.dir,
    profile: settings.profile,
    clientId: config.userPoolClientId,
    onWarning(message) {
      // Said once per call, though the file is read several times.
      if (!unreadable) process.emitWarning(message, { code: "COGKIT_STORAGE" });
      unreadable = true;
    },
  });
  if (!config.identityPoolId) {
    const { AuthError } = await import("@cogkit/core");
    throw new AuthError("ERR_NO_IDENTITY_POOL", "No identityPoolId: pass config.identityPoolId, set COGKIT_IDENTITY_POOL_ID, or add it to the config file");
  }
  const marginMs = options.marginMs ?? 5 * 60_000;
  if (!options.forceRefresh) {
    const cached = fromCache(await storage.readAll(), settings, marginMs);
    if (cached) return cached;
  }
  return obtain(storage, settings, options, marginMs, () => unreadable);
}

/** The profile's cached credentials while fresh, for whoever its session names. */
function fromCache(entries: Record<string, string>, { config }: ResolvedSettings, marginMs: number) {
  const subject = storedSubject(entries[sessionKey(config.userPoolClientId)]);
  return readCachedCredentials(entries[credentialsCacheKey(config.identityPoolId!)], subject, Date.now(), marginMs);
}

async function obtain(storage: FileStorage, settings: ResolvedSettings, options: NodeCredentialsOptions, marginMs: number, unreadable: () => boolean) {
  const { config, profile, dir } = settings;
  // Loaded only now: a warm call needs none of it (the platform pulls in core).
  const { createNodePlatform } = await import("../platform/node-platform.js");
  const platform = createNodePlatform({ storage, profile, dir });
  // One process at a time asks Cognito; the others find its credentials in the file.
  return platform.lock!(
    `cogkit.${config.identityPoolId}.credentials`,
    async () => {
      // Read again under the lock: another process may have just written it.
      const entries = await storage.readAll();
      if (!options.forceRefresh) {
        const cached = fromCache(entries, settings, marginMs);
        if (cached) return cached;
      }
      const core = await import("@cogkit/core");
      const client = core.createAuthClient(config, { platform, transport: await transportFor(options.transport, config) });
      // A pool that tracks devices refreshes only for a confirmed device (a server pays no page bytes for it).
      core.trackDevices(client);
      try {
        const before = unreadable() ? "unreadable" : wasSignedIn(entries, config.userPoolClientId, config.identityPoolId!) ? "signedIn" : undefined;
        const subject = await signedInSubject(core, client, settings, before);
        const mark = signedInMarkKey(config.userPoolClientId);
        if (subject !== null && entries[mark] !== subject) await storage.setItem(mark, subject);
        const credentials = await core.getCredentials(client, { forceRefresh: options.forceRefresh });
        await storage.setItem(credentialsCacheKey(config.identityPoolId!), encodeCachedCredentials(credentials, subject));
        return credentials as CognitoAwsCredentials;
      } finally {
        client.dispose();
      }
    },
    { timeoutMs: 60_000 },
  );
}

/**
 * The signed-in user's `sub` — signing in when needed — or `null` for a guest. Guest
 * credentials only where nobody is known to have signed in: `before` says when the profile
 * shows that someone did, or could not be read.
 */
export async function signedInSubject(
  core: typeof import("@cogkit/core"),
  client: AuthClient,
  settings: ResolvedSettings,
  before?: "signedIn" | "unreadable",
): Promise<string | null> {
  await client.start();
  const hadSession = client.getSnapshot().status !== "signedOut";
  try {
    return (await freshTokens(core, client)).idToken.payload.sub as string;
  } catch (error) {
    if (!core.isAuthError(error, "ERR_NOT_SIGNED_IN")) throw error;
  }
  const { username, password } = settings;
  if (username !== undefined && password !== undefined) {
    const { nextStep } = await client.signIn({ username, password });
    if (nextStep.type !== "done") {
      throw new core.AuthError(
        "ERR_SIGN_IN_IN_PROGRESS",
        `Signing in as ${username} needs another step (${nextStep.type}); run \`cogkit login --profile ${settings.profile}\``,
      );
    }
    return (await freshTokens(core, client)).idToken.payload.sub as string;
  }
  if (hadSession || username !== undefined) {
    // A user was signed in (or is configured): guest credentials would be a silent surprise.
    throw new core.AuthError(
      "ERR_NOT_SIGNED_IN",
      `The session of profile "${settings.profile}" has ended; run \`cogkit login --profile ${settings.profile}\` or set COGKIT_USERNAME and COGKIT_PASSWORD`,
    );
  }
  if (before !== undefined) {
    // The session record was lost or damaged: the user would get a guest's role unawares.
    const what = before === "unreadable" ? "its session file cannot be read" : "someone signed in to it and its session is missing or unreadable";
    throw new core.AuthError(
      "ERR_NOT_SIGNED_IN",
      `No guest credentials for profile "${settings.profile}": ${what}; run \`cogkit login --profile ${settings.profile}\` (or \`cogkit logout --profile ${settings.profile}\` to use guest credentials)`,
    );
  }
  return null;
}

/** The transport for `choice`; the AWS SDK one is imported only here, when a request is due. */
export async function transportFor(
  choice: NodeCredentialsOptions["transport"],
  config: ResolvedSettings["config"],
): Promise<CognitoTransport | undefined> {
  if (choice === "fetch") return undefined;
  if (typeof choice === "object") return choice;
  const { createAwsSdkTransport } = await import("@cogkit/core/aws-sdk");
  return createAwsSdkTransport(config);
}
