import type { ClientContext } from "./client-context.js";
import { type AuthConfig, type UserAttributeSchema, validatePoolSettings } from "./config.js";
import { AuthError } from "./errors.js";
import { decodeJwt, type JwtToken } from "./jwt.js";
import { defaultPlatform } from "./platform/default-platform.js";
import type { Platform } from "./platform/types.js";
import { decodeSessionRecord, encodeSessionRecord, sessionRecordKey } from "./session/session-record.js";
import { type AuthSnapshot, createSessionStore } from "./store.js";
import { createFetchTransport } from "./transport/fetch-transport.js";
import type { CognitoTransport } from "./transport/types.js";
import { sessionFromTokens } from "./user-pool/session-from-result.js";
import { signIn, type SignInInput, type SignInResult } from "./user-pool/sign-in.js";
import { signOut, type SignOutOptions } from "./user-pool/sign-out.js";
import {
  confirmSignUp,
  type ConfirmSignUpInput,
  resendSignUpCode,
  type ResendSignUpCodeInput,
  signUp,
  type SignUpInput,
  type SignUpResult,
} from "./user-pool/sign-up.js";
import type { CodeDelivery } from "./user-pool/next-step.js";

/** Options of {@link createAuthClient}. */
export interface AuthClientOptions {
  /** Replaces parts of {@link defaultPlatform} (storage, clock, fetch, crypto, modPow...). */
  platform?: Partial<Platform>;
  /** How operations reach Cognito; the fetch transport by default. */
  transport?: CognitoTransport;
  /** Time limit of each request of the default transport, in ms. Default 15 000. */
  timeoutMs?: number;
}

/** The tokens of the current session, as {@link AuthClient.getTokens} returns them. */
export interface AuthTokens {
  idToken: JwtToken;
  accessToken: JwtToken;
  refreshToken: string | undefined;
  /** When the id and access tokens expire, in ms on the local clock (drift corrected). */
  expiresAt: number;
}

/** A Cognito auth client: the core journey of one user pool app client. */
export interface AuthClient<S extends UserAttributeSchema = UserAttributeSchema> {
  /** The validated config the client was made with. */
  readonly config: AuthConfig<S>;
  /** Registers a user. `nextStep.type` says whether a code must confirm the account. */
  signUp(input: SignUpInput): Promise<SignUpResult>;
  /** Confirms a sign-up with the code Cognito sent. */
  confirmSignUp(input: ConfirmSignUpInput): Promise<{ nextStep: { type: "done" } }>;
  /** Sends the sign-up code again. */
  resendSignUpCode(input: ResendSignUpCodeInput): Promise<{ codeDelivery: CodeDelivery }>;
  /** Signs in (SRP by default); `nextStep.type === "done"` once signed in. A failure keeps the previous session. */
  signIn(input: SignInInput): Promise<SignInResult>;
  /** Ends the session on this device; `{ global: true }` also revokes every token of the user. */
  signOut(options?: SignOutOptions): Promise<void>;
  /** The current tokens with decoded payloads; `ERR_NOT_SIGNED_IN` when signed out. */
  getTokens(): Promise<AuthTokens>;
  /** The current state; the same object until it changes (fit for `useSyncExternalStore`). */
  getSnapshot(): AuthSnapshot<S>;
  /** Calls `listener` after each change of the snapshot; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/**
 * Creates a client for one user pool app client. No global state: a server makes one per
 * request. Throws `ERR_INVALID_CONFIG` naming the first wrong pool setting (the definition
 * part is `defineAuth`'s to check; `validateConfig` checks both).
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
  if (options === null || typeof options !== "object") throw new TypeError("createAuthClient: `options` must be an object");
  const given = options.platform ?? {};
  const base = defaultPlatform();
  const platform: Platform = {
    clock: given.clock ?? base.clock,
    storage: given.storage ?? base.storage,
    fetch: given.fetch ?? base.fetch,
    randomBytes: given.randomBytes ?? base.randomBytes,
    // Read late, so a runtime without WebCrypto fails only when crypto is needed.
    get subtle() {
      return given.subtle ?? base.subtle;
    },
    modPow: given.modPow,
    lock: given.lock,
    broadcast: given.broadcast,
  };
  const transport =
    options.transport ??
    createFetchTransport({
      region: config.region,
      userPoolEndpoint: config.userPoolEndpoint,
      identityPoolEndpoint: config.identityPoolEndpoint,
      platform,
      timeoutMs: options.timeoutMs,
    });
  if (typeof transport.userPool !== "function") throw new TypeError("createAuthClient: `transport` must be a CognitoTransport");
  const store = createSessionStore<S>("initializing");
  const key = sessionRecordKey(config.userPoolClientId);
  const storage = platform.storage;

  // Read the stored session once; an unreadable record reads as signed out and is removed.
  const ready = (async () => {
    try {
      const { tokens, problem } = decodeSessionRecord(await storage.getItem(key));
      const session = tokens && sessionFromTokens(tokens, config.userAttributes);
      if (session) return store.setSession(session);
      if (problem || tokens) await storage.removeItem(key);
    } catch {
      // Storage that cannot be read leaves the client signed out rather than broken.
    }
    if (store.getSnapshot().status === "initializing") store.clear();
  })();

  const context: ClientContext<S> = {
    config,
    platform,
    transport,
    store,
    ready,
    async commitSession(session) {
      await storage.setItem(key, encodeSessionRecord(session.tokens, platform.clock.now()));
      store.setSession(session);
    },
    async clearSession() {
      store.clear();
      await storage.removeItem(key);
    },
  };

  return {
    config,
    signUp: (input) => signUp(context, input),
    confirmSignUp: (input) => confirmSignUp(context, input),
    resendSignUpCode: (input) => resendSignUpCode(context, input),
    signIn: (input) => signIn(context, input),
    signOut: (signOutOptions) => signOut(context, signOutOptions),
    async getTokens() {
      await ready;
      const session = store.getSession();
      if (!session) throw new AuthError("ERR_NOT_SIGNED_IN", "Nobody is signed in");
      const { tokens } = session;
      return {
        idToken: decodeJwt(tokens.idToken),
        accessToken: decodeJwt(tokens.accessToken),
        refreshToken: tokens.refreshToken,
        expiresAt: tokens.expiresAt,
      };
    },
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
  };
}
