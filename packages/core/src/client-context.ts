import type { AuthConfig, UserAttributeSchema } from "./config.js";
import type { Platform } from "./platform/types.js";
import type { Session, SessionStore } from "./store.js";
import type { CognitoTransport } from "./transport/types.js";
import { secretHash } from "./user-pool/secret-hash.js";

/** What every operation of a client works with; made once by `createAuthClient`. */
export interface ClientContext<S extends UserAttributeSchema = UserAttributeSchema> {
  config: AuthConfig<S>;
  platform: Platform;
  transport: CognitoTransport;
  store: SessionStore<S>;
  /** Settles once the stored session (if any) has been read. */
  ready: Promise<void>;
  /** Saves a new session whole, then publishes it; if saving fails nothing changes. */
  commitSession(session: Session<S>): Promise<void>;
  /** Forgets the session in storage and memory. */
  clearSession(): Promise<void>;
}

/** `SECRET_HASH` for `username` when the client has a secret, `undefined` otherwise. */
export function secretHashFor(context: ClientContext<any>, username: string): Promise<string | undefined> {
  const { clientSecret, userPoolClientId } = context.config;
  if (clientSecret === undefined) return Promise.resolve(undefined);
  return secretHash({ subtle: context.platform.subtle, secret: clientSecret, username, clientId: userPoolClientId });
}
