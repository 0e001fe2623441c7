import type { AuthConfig, UserAttributeSchema } from "./config.js";
import type { Platform } from "./platform/types.js";
import type { SessionController } from "./session/session-controller.js";
import type { CognitoTransport } from "./transport/types.js";
import { secretHash } from "./user-pool/secret-hash.js";

/** What every operation of a client works with; made once by `createAuthClient`. */
export interface ClientContext<S extends UserAttributeSchema = UserAttributeSchema> {
  config: AuthConfig<S>;
  platform: Platform;
  transport: CognitoTransport;
  /**
   * Owns the session: sign-in hands it tokens (`acceptSignIn`), sign-out ends it, and
   * whatever follows the session (the snapshot, credentials) subscribes to it.
   */
  session: SessionController;
  /**
   * The challenge `signIn` left to answer, kept here rather than in its result so the
   * `Session` never reaches app code; `confirmSignIn` and `setUpTotp` answer it.
   */
  challenge?: PendingChallenge;
}

/** A challenge awaiting `confirmSignIn`. */
export interface PendingChallenge {
  name: string;
  /** Cognito's `Session` of the challenge (valid 3 minutes). */
  session: string | undefined;
  /** The name Cognito answers to (`USER_ID_FOR_SRP`), which `SECRET_HASH` covers too. */
  username: string;
  /**
   * Set for the first-factor steps of choice-based sign-in, which its own part answers: the
   * factors SELECT_CHALLENGE offered (empty for the others). Their `name` is Cognito's
   * (`SELECT_CHALLENGE`, `EMAIL_OTP`, `SMS_OTP`), or `PASSWORD` / `PASSWORD_SRP` while the
   * password is awaited (`session` then is SELECT_CHALLENGE's, or none before InitiateAuth).
   */
  choice?: string[];
}

/** `SECRET_HASH` for `username` when the client has a secret, `undefined` otherwise. */
export async function secretHashFor(context: ClientContext<any>, username: string): Promise<string | undefined> {
  const { clientSecret, userPoolClientId } = context.config;
  return clientSecret === undefined
    ? undefined
    : secretHash({ subtle: context.platform.subtle, secret: clientSecret, username, clientId: userPoolClientId });
}

/** `{ SECRET_HASH }` to spread into `AuthParameters` / `ChallengeResponses`; nothing without a secret. */
export async function secretHashParameter(context: ClientContext<any>, username: string): Promise<{ SECRET_HASH: string } | undefined> {
  const SECRET_HASH = await secretHashFor(context, username);
  return SECRET_HASH === undefined ? undefined : { SECRET_HASH };
}

