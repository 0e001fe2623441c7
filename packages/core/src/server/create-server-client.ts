import type { AuthSnapshot, AuthUser } from "../auth-snapshot.js";
import { type AuthClient, type AuthTokens, createAuthClient } from "../client.js";
import { clientContexts } from "../client-contexts.js";
import type { AuthConfig, UserAttributeSchema } from "../config.js";
import { AuthError, isAuthError } from "../errors.js";
import { jwtToken } from "../jwt.js";
import { defaultPlatform } from "../platform/default-platform.js";
import { createMemoryStorage } from "../platform/memory-storage.js";
import type { Platform } from "../platform/types.js";
import { refreshAtFor } from "../session/refresh-policy.js";
import { decodeSessionRecord, sessionRecordKey } from "../session/session-record.js";
import type { SessionTokens } from "../session/session-tokens.js";
import { createFetchTransport } from "../transport/fetch-transport.js";
import type { CognitoTransport } from "../transport/types.js";
import { checkObject } from "../user-pool/check-input.js";
import type { ConfirmSignInInput } from "../user-pool/confirm-sign-in.js";
import type { SignInInput, SignInResult } from "../user-pool/sign-in.js";
import type { SignOutOptions } from "../user-pool/sign-out.js";
import { userFromIdToken } from "../user-from-id-token.js";
import {
  cookieJar,
  cookieLayout,
  type CookieMode,
  type CookieToSet,
  deletion,
  readSessionCookies,
  type ServerCookieOptions,
  type ServerCookies,
  sessionCookieChanges,
} from "./server-cookies.js";
import { shareRefreshes } from "./shared-refresh.js";
import { checkSecret, openSignInState, sealSignInState, signInStateSeconds } from "./sign-in-state.js";
import { verifyCognitoToken } from "./verify-cognito-token.js";

/**
 * Options of {@link createServerClient}.
 *
 * @example
 * const options: ServerClientOptions = { cookies: { getAll: () => [], setAll: () => {} }, secret: process.env.COGKIT_SECRET };
 */
export interface ServerClientOptions {
  /** The request's cookies and where the response's go. */
  cookies: ServerCookies;
  /**
   * For places that cannot set cookies (React Server Components): the session is read and
   * verified but never refreshed, since a rotated refresh token that cannot be stored would
   * be lost. Tokens past expiry read as signed out; middleware or a route refreshes them.
   * Implied when `cookies.setAll` is absent.
   */
  readOnly?: boolean;
  /** `"default"` (every token readable by page JS) or `"httpOnly"` (see {@link CookieMode}). */
  cookieMode?: CookieMode;
  cookieOptions?: ServerCookieOptions;
  /**
   * Encrypts the state of a sign-in that has steps left (MFA, new password) in an httpOnly
   * cookie between requests; at least 32 random characters. Needed by `signIn`/`confirmSignIn`.
   */
  secret?: string;
  /** Clock and fetch (or anything else of the platform) to use; storage is the cookies. */
  platform?: Partial<Pick<Platform, "clock" | "fetch" | "subtle" | "randomBytes" | "modPow">>;
  /** How operations reach Cognito; the fetch transport by default. */
  transport?: CognitoTransport;
  /** Time limit of each request of the default transport, in ms. */
  timeoutMs?: number;
}

/**
 * A verified session of the request: decoded tokens and the user they name.
 *
 * @example
 * const session = await server.getSession();
 * if (session) fetch(api, { headers: { authorization: `Bearer ${session.tokens.accessToken}` } });
 */
export interface ServerSession<S extends UserAttributeSchema = UserAttributeSchema> {
  tokens: AuthTokens;
  user: AuthUser<S>;
}

/** The request-scoped client of {@link createServerClient}. */
export interface ServerClient<S extends UserAttributeSchema = UserAttributeSchema> {
  /**
   * The request's session, verified (signature, issuer, client, expiry) and refreshed when
   * due, or null. Called again, it answers the same: one read, at most one refresh and one
   * `setAll` per request. A forged or mixed cookie is no session (its cookies are deleted).
   */
  getSession(): Promise<ServerSession<S> | null>;
  /** What `getSnapshot()` of a browser client will say once it has read the session: for `<AuthProvider serverSnapshot>`. */
  getSnapshot(): Promise<AuthSnapshot<S>>;
  /** Signs in on the server; a step left (MFA, new password) is kept in an encrypted httpOnly cookie for `confirmSignIn`. */
  signIn(input: SignInInput): Promise<SignInResult>;
  /** Answers the step `signIn` left, in a later request (`ERR_NO_PENDING_SIGN_IN` when none is pending or it expired). */
  confirmSignIn(input: ConfirmSignInInput): Promise<SignInResult>;
  /** Revokes the session's refresh token (`global` revokes all of the user's) and deletes its cookies. */
  signOut(options?: SignOutOptions): Promise<void>;
  /** The request's auth client over the cookies, for standalone functions (`updateUserAttributes(server.client, …)`). */
  readonly client: AuthClient<S>;
}

/**
 * Creates the client of one request over its cookies, for any framework on Node or an edge
 * runtime (Web APIs only). It reads the session from the request's cookies, refreshes it when
 * due — one refresh per burst of requests carrying the same refresh token in this process,
 * so refresh-token rotation with no grace period logs nobody out — and hands the changed
 * cookies to `cookies.setAll` in one call once the operation is done.
 *
 * @example
 * // Next.js middleware
 * let response = NextResponse.next({ request });
 * const server = createServerClient(config, {
 *   cookies: {
 *     getAll: () => request.cookies.getAll(),
 *     setAll(list) {
 *       list.forEach(({ name, value }) => request.cookies.set(name, value));
 *       response = NextResponse.next({ request });
 *       list.forEach(({ name, value, options }) => response.cookies.set(name, value, options));
 *     },
 *   },
 * });
 * if (!(await server.getSession())) return NextResponse.redirect(new URL("/sign-in", request.url));
 * return response;
 */
export function createServerClient<S extends UserAttributeSchema = UserAttributeSchema>(
  config: AuthConfig<S>,
  options: ServerClientOptions,
): ServerClient<S> {
  checkObject(options, "createServerClient");
  const { cookies, secret, cookieMode: mode = "default" } = options;
  if (!cookies || typeof cookies.getAll !== "function") throw new TypeError("createServerClient: `cookies.getAll` must be a function");
  if (mode !== "default" && mode !== "httpOnly") throw new TypeError('createServerClient: cookieMode must be "default" or "httpOnly"');
  if (secret !== undefined) checkSecret(secret);
  const readOnly = options.readOnly === true || typeof cookies.setAll !== "function";
  const layout = cookieLayout(config.userPoolClientId, options.cookieOptions);
  const jar = cookieJar(cookies.getAll());
  const base = defaultPlatform();
  const given = options.platform ?? {};
  const clock = given.clock ?? base.clock;
  const subtle = () => given.subtle ?? base.subtle;

  const key = sessionRecordKey(config.userPoolClientId);
  const storage = createMemoryStorage();
  const initial = readSessionCookies(jar, layout);
  if (initial !== null) storage.setItem(key, initial);
  const record = () => storage.getItem(key) as string | null;

  const transport = shareRefreshes(
    options.transport ?? createFetchTransport({ ...config, platform: { fetch: given.fetch ?? base.fetch, clock }, timeoutMs: options.timeoutMs }),
    () => clock.now(),
  );
  const client = createAuthClient(config, {
    transport,
    platform: {
      ...given,
      clock,
      storage,
      // One request, one runtime: no tabs to hear, no lock to wait for.
      broadcast: () => undefined,
      lock: (_name, task) => task(),
    },
  });
  // Loaded once, then paused: a server client arms no timer that would outlive its request.
  let started: Promise<void> | undefined;
  const start = () => (started ??= client.start().then(() => client.stop()));
  const context = () => clientContexts.get(client)!;

  let signInCookie: CookieToSet | undefined;
  let flushing = Promise.resolve();
  /** Hands what changed since the last flush to `setAll`, in one call; nothing when nothing changed. */
  function flush(): Promise<void> {
    const run = flushing.then(() => {
      if (readOnly) return;
      const changes = sessionCookieChanges(record(), jar, layout, mode);
      if (signInCookie) changes.push(signInCookie);
      signInCookie = undefined;
      if (changes.length === 0) return;
      for (const change of changes) {
        if (change.options.maxAge === 0) jar.delete(change.name);
        else jar.set(change.name, change.value);
      }
      cookies.setAll!(changes);
    });
    flushing = run.catch(() => undefined);
    return run;
  }

  async function verified(tokens: SessionTokens): Promise<boolean> {
    try {
      const [id, access] = await Promise.all([
        verifyCognitoToken(config, tokens.idToken, { tokenUse: "id", clock }),
        verifyCognitoToken(config, tokens.accessToken, { tokenUse: "access", clock }),
      ]);
      // Two valid tokens of two users are a planted pair, not a session.
      return id.sub === access.sub;
    } catch (error) {
      // Keys out of reach say nothing about the cookie: no session now, but keep it.
      if (isAuthError(error, "ERR_NETWORK")) throw error;
      return false;
    }
  }

  async function load(): Promise<ServerSession<S> | null> {
    const { tokens, problem } = decodeSessionRecord(record());
    if (tokens === null) {
      if (problem !== undefined) storage.removeItem(key);
      return null;
    }
    const now = clock.now();
    let current = tokens;
    if (!readOnly && tokens.refreshToken !== undefined && now >= refreshAtFor(tokens)) {
      await start();
      try {
        await client.getTokens();
        const state = context().session.getState();
        if ("tokens" in state) current = state.tokens;
      } catch {
        // Refused (the session ended and its record went) or expired while Cognito is away.
        return null;
      }
    }
    // Tokens from the cookie, not from Cognito: trusted only once verified.
    if (current.accessToken === tokens.accessToken) {
      if (now >= tokens.expiresAt) {
        if (!readOnly) storage.removeItem(key);
        return null;
      }
      let valid: boolean;
      try {
        valid = await verified(tokens);
      } catch {
        return null;
      }
      if (!valid) {
        storage.removeItem(key);
        return null;
      }
    }
    const tokensOut: AuthTokens = {
      idToken: jwtToken(current.idToken),
      accessToken: jwtToken(current.accessToken),
      refreshToken: current.refreshToken,
      expiresAt: current.expiresAt,
    };
    return { tokens: tokensOut, user: userFromIdToken(tokensOut.idToken.payload, config.userAttributes) };
  }

  let session: Promise<ServerSession<S> | null> | undefined;
  const getSession = () =>
    (session ??= (async () => {
      try {
        return await load();
      } finally {
        await flush();
      }
    })());

  const writable = (operation: string) => {
    if (readOnly) throw new TypeError(`createServerClient: ${operation} writes cookies, and this client is read-only`);
    if (secret === undefined) checkSecret(secret);
  };

  /** Keeps the step a sign-in left `pending` (or deletes the kept one once there is none). */
  async function keepStep(pending: boolean): Promise<void> {
    const challenge = context().challenge;
    if (pending && challenge) {
      const value = await sealSignInState(challenge, secret!, clock.now(), subtle());
      signInCookie = { name: layout.signIn, value, options: { ...layout.base, httpOnly: true, maxAge: signInStateSeconds } };
    } else if (jar.has(layout.signIn)) {
      signInCookie = deletion(layout.signIn, layout);
    }
  }

  /** Runs a sign-in call and keeps the step it leaves. */
  async function stepped(call: Promise<SignInResult>): Promise<SignInResult> {
    const result = await call;
    await keepStep(result.nextStep.type !== "done");
    return result;
  }

  return {
    client,
    getSession,
    async getSnapshot() {
      const found = await getSession();
      return found ? { status: "signedIn", user: found.user } : { status: "signedOut", user: null };
    },
    async signIn(input) {
      writable("signIn");
      await start();
      try {
        return await stepped(client.signIn(input));
      } finally {
        await flush();
      }
    },
    async confirmSignIn(input) {
      writable("confirmSignIn");
      const challenge = await openSignInState(jar.get(layout.signIn), secret!, clock.now(), subtle());
      if (!challenge) throw new AuthError("ERR_NO_PENDING_SIGN_IN", "No sign-in step to answer, or it expired: sign in again");
      await start();
      context().challenge = challenge;
      try {
        return await stepped(client.confirmSignIn(input));
      } catch (error) {
        // A refused answer keeps the step; Cognito may have renewed its session meanwhile.
        const kept = context().challenge;
        if (kept && kept !== challenge) await keepStep(true);
        throw error;
      } finally {
        await flush();
      }
    },
    async signOut(signOutOptions) {
      if (readOnly) throw new TypeError("createServerClient: signOut writes cookies, and this client is read-only");
      await start();
      try {
        await client.signOut(signOutOptions);
      } finally {
        storage.removeItem(key);
        if (jar.has(layout.signIn)) signInCookie = deletion(layout.signIn, layout);
        await flush();
      }
    },
  };
}
