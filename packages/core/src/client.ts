import { type AuthSnapshot, snapshotOf } from "./auth-snapshot.js";
import type { ClientContext } from "./client-context.js";
import { clientContexts } from "./client-contexts.js";
import { type AuthConfig, type UserAttributeSchema, validatePoolSettings } from "./config.js";
import { jwtToken, type JwtToken } from "./jwt.js";
import { defaultPlatform } from "./platform/default-platform.js";
import type { Platform } from "./platform/types.js";
import { createSessionController, type SessionUpdate } from "./session/session-controller.js";
import type { SessionTokens } from "./session/session-tokens.js";
import { createFetchTransport } from "./transport/fetch-transport.js";
import type { CognitoTransport } from "./transport/types.js";
import { createRefreshTokens } from "./user-pool/refresh-tokens.js";
import { checkObject } from "./user-pool/check-input.js";
import { loadPart } from "./errors.js";
import { signIn, signInSteps, type SignInInput, type SignInResult } from "./user-pool/sign-in.js";
import type { ConfirmSignInInput } from "./user-pool/confirm-sign-in.js";
import { signOut, type SignOutOptions } from "./user-pool/sign-out.js";
import type { ConfirmSignUpInput, ConfirmSignUpNextStep, ResendSignUpCodeInput, SignUpInput, SignUpResult } from "./user-pool/sign-up.js";
import type { CodeDelivery } from "./user-pool/next-step.js";

/**
 * What `subscribe` listeners receive, after the snapshot and the storage are up to date.
 * Past-tense facts: `signedIn` (`source`: a sign-in here, the stored session at start, or
 * another tab), `tokenRefreshed` (here or in another tab), `tokenRefreshFailed` (the session
 * is kept and retried at `retryAt`), `signedOut`, `sessionExpired` (Cognito refused the
 * refresh token: sign in again), `storageWarning` (a corrupt record was dropped, or the
 * storage failed and the session lives in memory), and `stateChanged` for any other change
 * of the snapshot (a refresh starting).
 *
 * `signedIn` and `tokenRefreshed` name the `user` (as the new id token describes them) and
 * when the tokens expire (`expiresAt`, ms on the local clock), and carry no token: a logging
 * or analytics listener never sees a credential. A listener that needs the tokens calls
 * `getTokens()`.
 *
 * @example
 * client.subscribe((event) => {
 *   if (event.type === "sessionExpired") router.push("/sign-in");
 *   if (event.type === "signedIn") analytics.identify(event.user.userId);
 * });
 */
export type AuthEvent<S extends UserAttributeSchema = UserAttributeSchema> = SessionUpdate<S>;

/** Options of {@link createAuthClient}. */
export interface AuthClientOptions {
  /** Replaces parts of {@link defaultPlatform} (storage, clock, fetch, crypto, modPow...). */
  platform?: Partial<Platform>;
  /** How operations reach Cognito; the fetch transport by default. */
  transport?: CognitoTransport;
  /** Time limit of each request of the default transport, in ms. Default 15 000. */
  timeoutMs?: number;
}

/**
 * The tokens of the current session, as {@link AuthClient.getTokens} returns them: the same object until they change.
 *
 * @example
 * const { accessToken } = await client.getTokens();
 * fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
 */
export interface AuthTokens {
  readonly idToken: JwtToken;
  readonly accessToken: JwtToken;
  readonly refreshToken: string | undefined;
  /** When the id and access tokens expire, in ms on the local clock (drift corrected). */
  readonly expiresAt: number;
}

/** A Cognito auth client: the core journey of one user pool app client. */
export interface AuthClient<S extends UserAttributeSchema = UserAttributeSchema> {
  /** The validated config the client was made with. */
  readonly config: AuthConfig<S>;
  /**
   * Registers a user. `nextStep.type` says whether a code must confirm the account. Sign-up
   * (with `confirmSignUp` and `resendSignUpCode`) is a part of the client loaded on first
   * use, so a page that only signs in does not download it; when it cannot be fetched the
   * call rejects with a retryable `ERR_NETWORK`.
   */
  signUp(input: SignUpInput): Promise<SignUpResult>;
  /**
   * Confirms a sign-up with the code Cognito sent. With `signIn: true` it also signs the user
   * in (choice-based sign-in, with the session Cognito gives on confirmation, also after a
   * reload or in another tab) and returns the sign-in's next step.
   *
   * @example
   * const { nextStep } = await client.confirmSignUp({ username, code, signIn: true });
   * if (nextStep.type === "done") goHome();
   */
  confirmSignUp(input: ConfirmSignUpInput & { signIn: true }): Promise<{ nextStep: ConfirmSignUpNextStep }>;
  /** Confirms the account only; the user signs in next. */
  confirmSignUp(input: ConfirmSignUpInput & { signIn?: false }): Promise<{ nextStep: { type: "done" } }>;
  /** Confirms the account, and signs in when `signIn` is true. */
  confirmSignUp(input: ConfirmSignUpInput): Promise<{ nextStep: ConfirmSignUpNextStep }>;
  /** Sends the sign-up code again. */
  resendSignUpCode(input: ResendSignUpCodeInput): Promise<{ codeDelivery: CodeDelivery }>;
  /** Signs in (SRP by default); `nextStep.type === "done"` once signed in. A failure keeps the previous session. */
  signIn(input: SignInInput): Promise<SignInResult>;
  /**
   * Answers the step `signIn` (or the last `confirmSignIn`) returned — new password, MFA
   * code, MFA type, TOTP setup code, custom answer — and returns the next one, `done` once
   * signed in. A wrong code keeps the step for another try; Cognito ends a step after 3
   * minutes (`ERR_NOT_AUTHORIZED`: sign in again). With no step pending it rejects with
   * `ERR_NO_PENDING_SIGN_IN`. The challenge steps are a part loaded when the first challenge
   * arrives (like sign-up, see {@link AuthClient.signUp}).
   *
   * @example
   * const { nextStep } = await client.confirmSignIn({ challengeResponse: code });
   */
  confirmSignIn(input: ConfirmSignInInput): Promise<SignInResult>;
  /** Ends the session on this device; `{ global: true }` also revokes every token of the user. */
  signOut(options?: SignOutOptions): Promise<void>;
  /**
   * Valid tokens with decoded payloads, refreshed first when inside the refresh margin;
   * concurrent callers share one refresh. After a transient refresh failure it still returns
   * tokens that have not expired. Rejects with `ERR_NOT_SIGNED_IN` when signed out, or with
   * the refresh error once the tokens have expired.
   *
   * `forceRefresh` asks for tokens Cognito issues after the call (say, after changing the
   * user's attributes or groups): forced callers that come before the refresh request leaves
   * share it, those that come while it is on its way share one more. If that refresh fails
   * transiently the call rejects with its retryable error (never the old tokens); the session
   * is kept and retried.
   *
   * @example
   * // An admin just added the user to a group: the new id token lists it.
   * const { idToken } = await client.getTokens({ forceRefresh: true });
   * idToken.payload["cognito:groups"]; // [..., "editors"]
   */
  getTokens(options?: { forceRefresh?: boolean }): Promise<AuthTokens>;
  /** The current state; the same object until it changes (fit for `useSyncExternalStore`). */
  getSnapshot(): AuthSnapshot<S>;
  /**
   * Calls `listener` with an {@link AuthEvent} after each change (events name the user and
   * the expiry, never a token); returns the unsubscribe function.
   */
  subscribe(listener: (event: AuthEvent<S>) => void): () => void;
  /**
   * Reads the stored session, listens to other tabs and arms the refresh timer. Optional:
   * the client starts itself on first use (any method but `stop`/`dispose`).
   */
  start(): Promise<void>;
  /** Pauses background work (refresh timer, tab channel) until `start()`; `getTokens` still refreshes on demand. */
  stop(): void;
  /** Ends the client for good: no timer, channel or request of it is left (a Node process exits). */
  dispose(): void;
}


/**
 * Creates a client for one user pool app client. No global state: a server makes one per
 * request. Throws `ERR_INVALID_CONFIG` naming the first wrong pool setting (the definition
 * part is `defineAuth`'s to check; `validateConfig` checks both).
 *
 * The client starts itself on first use (`getSnapshot`, `subscribe`, `getTokens`, `signIn`,
 * `signOut`): it reads the stored session, listens to other tabs and keeps the tokens fresh
 * with one timer. Creating a client does nothing; `start()` starts it early, `dispose()`
 * ends it (and `stop()` pauses it, say while a React provider is unmounted).
 *
 * @example
 * const client = createAuthClient({ region: "eu-west-1", userPoolId: "eu-west-1_abc", userPoolClientId: "1example" });
 * const { nextStep } = await client.signIn({ username: "alice", password });
 * if (nextStep.type === "done") greet((await client.getTokens()).idToken.payload.email);
 */
export function createAuthClient<S extends UserAttributeSchema = UserAttributeSchema>(
  config: AuthConfig<S>,
  options: AuthClientOptions = {},
): AuthClient<S> {
  validatePoolSettings(config);
  checkObject(options, "createAuthClient");
  const given = options.platform ?? {};
  const base = defaultPlatform();
  const storage = given.storage ?? base.storage;
  const platform: Platform = {
    clock: given.clock ?? base.clock,
    storage,
    fetch: given.fetch ?? base.fetch,
    randomBytes: given.randomBytes ?? base.randomBytes,
    // Read late, so a runtime without WebCrypto fails only when crypto is needed.
    get subtle() {
      return given.subtle ?? base.subtle;
    },
    modPow: given.modPow,
    // Read late too: Web Locks polyfilled after the client was made are still used.
    get lock() {
      return given.lock ?? base.lock;
    },
    // Tabs hear of each other's sessions only through storage they share.
    broadcast: given.broadcast ?? (storage.shared ? base.broadcast : undefined),
    webAuthn: given.webAuthn,
  };
  const transport =
    options.transport ??
    // The config carries the region and the endpoints the transport reads.
    createFetchTransport({ ...config, platform, timeoutMs: options.timeoutMs });
  if (typeof transport.userPool !== "function") throw new TypeError("createAuthClient: bad `transport`");
  const context: ClientContext<S> = { config, platform, transport } as ClientContext<S>;
  const session = (context.session = createSessionController({
    clientId: config.userPoolClientId,
    platform,
    refresh: createRefreshTokens(context),
    userAttributes: config.userAttributes,
  }));
  let snapshot: AuthSnapshot<S> = { status: "initializing", user: null };
  // Subscribed first, so every other listener (the app's, credentials) sees the new snapshot.
  session.subscribe(() => (snapshot = snapshotOf(session.getState(), snapshot, config.userAttributes)));
  let starting: Promise<void> | undefined;
  let decoded: [SessionTokens, AuthTokens] | undefined;
  // Lazy start: the first use reads storage and arms the timer; a client never used holds nothing.
  const use = () => (starting ??= session.start().catch(() => undefined));
  // Sign-up and the answers to sign-in challenges are parts loaded on first use: a page
  // that only signs in does not download them.
  const signUps = () => loadPart(() => import("./user-pool/sign-up.js"));

  const client: AuthClient<S> = {
    config,
    signUp: async (input) => (await signUps()).signUp(context, input),
    // Typed by the overloads of `AuthClient.confirmSignUp`: what it returns depends on `signIn`.
    // Started like signIn, since it may sign in: the tab channel must be open to tell the others.
    confirmSignUp: (async (input: ConfirmSignUpInput) => (use(), (await signUps()).confirmSignUp(context, input, signInSteps))) as AuthClient<S>["confirmSignUp"],
    resendSignUpCode: async (input) => (await signUps()).resendSignUpCode(context, input),
    signIn: (input) => (use(), signIn(context, input)),
    async confirmSignIn(input) {
      use();
      return (await loadPart(() => import("./user-pool/confirm-sign-in.js"))).confirmSignIn(context, input, signInSteps);
    },
    signOut: async (signOutOptions) => (await use(), signOut(context, signOutOptions)),
    async getTokens(tokenOptions) {
      use();
      const tokens = await session.getTokens(tokenOptions);
      // The hot path: decode each session's JWTs once, and hand out the same object until they change.
      if (decoded?.[0] !== tokens) {
        decoded = [
          tokens,
          {
            idToken: jwtToken(tokens.idToken),
            accessToken: jwtToken(tokens.accessToken),
            refreshToken: tokens.refreshToken,
            expiresAt: tokens.expiresAt,
          },
        ];
      }
      return decoded[1];
    },
    getSnapshot: () => (use(), snapshot),
    // The session types `user` by the schema it was given.
    subscribe(listener) {
      // Listening before starting: what the start finds (a storage warning) reaches this listener too.
      const unsubscribe = session.subscribe(listener as (update: SessionUpdate) => void);
      use();
      return unsubscribe;
    },
    start: () => (starting = session.start()),
    stop() {
      starting ??= Promise.resolve();
      session.stop();
    },
    dispose: session.dispose,
  };
  clientContexts.set(client, context);
  return client;
}
