import type { SrpVerifier } from "../srp/srp-math.js";
import type { OutboxKind } from "../control/outbox.js";
import type { PoolModel } from "../emulator-options.js";
import type { PasswordLockout } from "./password-lockout.js";
import type { StoredPasskey } from "./webauthn-credentials.js";

/** A code waiting to be confirmed. */
export interface PendingCode {
  code: string;
  expiresAt: number;
  attributeName: string;
  /** Wrong codes tried against it (reset codes give LimitExceededException after a few). */
  failedAttempts?: number;
}

/**
 * Where a pending code is kept: one per kind, except attribute verification codes, kept
 * per attribute (a new email and a new phone number wait for their own codes).
 */
export type CodeSlot = Exclude<OutboxKind, "verifyAttribute"> | `verifyAttribute:${string}`;

/** Cognito's names of the MFA factors. */
export type MfaFactor = "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP";

/** A user's MFA settings. */
export interface UserMfaSettings {
  enabled: Set<MfaFactor>;
  preferred: MfaFactor | undefined;
}

/**
 * A link between a pool user and an external provider's user (Cognito's `identities`
 * attribute and ID-token claim), made when someone signs in through that provider.
 */
export interface FederatedIdentity {
  /** The user's id at the provider (its `sub`). */
  userId: string;
  /** The provider's name in the pool: `Google`, `SignInWithApple`, an OIDC provider's name. */
  providerName: string;
  /** `Google`, `SignInWithApple`, `Facebook`, `LoginWithAmazon`, `OIDC` or `SAML`. */
  providerType: string;
  /** When the link was made, ms since the epoch. */
  dateCreated: number;
}

/** One user of the pool. */
export interface UserRecord {
  /** The real username: as given in username pools, the UUID (= sub) otherwise. */
  username: string;
  sub: string;
  /**
   * FORCE_CHANGE_PASSWORD: made by AdminCreateUser, signs in once with the temporary password.
   * EXTERNAL_PROVIDER: made by a sign-in through an external provider; has no password.
   */
  status: "UNCONFIRMED" | "CONFIRMED" | "FORCE_CHANGE_PASSWORD" | "EXTERNAL_PROVIDER";
  /** External provider users this user is (EXTERNAL_PROVIDER users: exactly one). */
  identities?: FederatedIdentity[];
  /** When a temporary password stops working (FORCE_CHANGE_PASSWORD users only). */
  temporaryPasswordExpiresAt?: number;
  /** MFA factors the user turned on (SetUserMFAPreference or MFA_SETUP) and the preferred one. */
  mfa?: UserMfaSettings;
  /** The authenticator secret VerifySoftwareToken proved (SOFTWARE_TOKEN_MFA checks codes against it). */
  softwareTokenSecret?: string;
  /** The secret AssociateSoftwareToken handed out with an access token, until verified. */
  pendingSoftwareTokenSecret?: string;
  enabled: boolean;
  /** Attributes by wire name; `email_verified` and friends as "true"/"false". */
  attributes: Map<string, string>;
  /**
   * New email/phone values waiting for VerifyUserAttribute while the verified original
   * stays active (the pool's "keep original attribute value active" setting).
   */
  pendingAttributes?: Map<string, string>;
  /** SMS MFA was turned on through the legacy SetUserSettings (GetUser then lists MFAOptions). */
  legacySmsMfa?: boolean;
  password: SrpVerifier;
  /** Signed up without a password: `password` is of a secret nobody knows, and PASSWORD is no factor of theirs. */
  passwordless?: boolean;
  /** Passkeys registered with CompleteWebAuthnRegistration (plain JSON data, so a state file keeps them). */
  passkeys?: StoredPasskey[];
  /** Wrong passwords in a row and the lockout they earned, as Cognito counts them. */
  lockout?: PasswordLockout;
  groups: Set<string>;
  codes: Map<CodeSlot, PendingCode>;
  createdAt: number;
  updatedAt: number;
}

/** The pool's users, found the way Cognito finds them at sign-in. */
export interface UserStore {
  add(user: UserRecord): void;
  /** Deletes a user (DeleteUser); their username, email and phone become free. */
  remove(username: string): void;
  /** By real username, case-insensitively. */
  byUsername(username: string): UserRecord | undefined;
  /** By what a user types to sign in: the username, or an email/phone the pool signs in with. */
  byLogin(login: string): UserRecord | undefined;
  /** Users holding this attribute value (to refuse duplicates). */
  withAttribute(name: string, value: string): UserRecord[];
  /** Every user (the state file saves them; loading adds them back one by one). */
  all(): UserRecord[];
}

/** Attributes a user can sign in with, indexed so a sign-in never scans the pool. */
const loginAttributes = new Set(["email", "phone_number", "preferred_username"]);

/**
 * Creates the user table. Pools that sign in with email or phone find users by those
 * (confirmed or not); pools with usernames accept a verified email/phone as an alias.
 * Usernames and login attributes are indexed case-insensitively, as Cognito compares them,
 * so finding a user costs the same with ten users or ten thousand.
 *
 * @example
 * const users = createUserStore(pool);
 * users.byLogin("Ana@Example.com");
 */
export function createUserStore(pool: PoolModel): UserStore {
  const users = new Map<string, UserRecord>();
  // name → lower-cased value → holders. Holders are re-checked at lookup (status, verified
  // flag), so only the values themselves need keeping current.
  const index = new Map<string, Map<string, Set<UserRecord>>>([...loginAttributes].map((name) => [name, new Map()]));
  const lower = (s: string) => s.toLowerCase();
  const unindex = (user: UserRecord, name: string, value: string | undefined) => {
    const byValue = index.get(name);
    if (value === undefined || !byValue) return;
    const holders = byValue.get(lower(value));
    holders?.delete(user);
    if (holders?.size === 0) byValue.delete(lower(value));
  };
  const reindex = (user: UserRecord, name: string, before: string | undefined, after: string | undefined) => {
    const byValue = index.get(name);
    // A request still holding a deleted user may write to it: that must not bring it back.
    if (!byValue || before === after || users.get(lower(user.username)) !== user) return;
    unindex(user, name, before);
    if (after === undefined) return;
    const key = lower(after);
    const holders = byValue.get(key);
    if (holders) holders.add(user);
    else byValue.set(key, new Set([user]));
  };
  // Federated users never sign in with a password, nor hold an email or phone number
  // against a native user's sign-up, as in Cognito.
  const withAttribute = (name: string, value: string) => {
    const holds = (u: UserRecord) => {
      const held = u.status !== "EXTERNAL_PROVIDER" ? u.attributes.get(name) : undefined;
      return held !== undefined && lower(held) === lower(value);
    };
    const byValue = index.get(name);
    return byValue ? [...(byValue.get(lower(value)) ?? [])].filter(holds) : [...users.values()].filter(holds);
  };
  return {
    add(user) {
      users.set(lower(user.username), user);
      watchAttributes(user.attributes, (name, before, after) => reindex(user, name, before, after));
      for (const name of loginAttributes) reindex(user, name, undefined, user.attributes.get(name));
    },
    remove(username) {
      const user = users.get(lower(username));
      if (!user) return;
      users.delete(lower(username));
      for (const name of loginAttributes) unindex(user, name, user.attributes.get(name));
    },
    byUsername: (username) => users.get(lower(username)),
    byLogin(login) {
      const direct = users.get(lower(login));
      if (direct) return direct;
      for (const name of pool.usernameAttributes) {
        const found = withAttribute(name, login)[0];
        if (found) return found;
      }
      for (const name of pool.aliasAttributes) {
        const found = withAttribute(name, login).find((u) => u.attributes.get(`${name}_verified`) === "true");
        if (found) return found;
      }
      return undefined;
    },
    withAttribute,
    all: () => [...users.values()],
  };
}

/**
 * Makes a user's attribute Map, still a plain Map to every reader, report each change of a
 * value: attributes are written from many operations, and the login index must follow every
 * one of them. Done in place, so whoever holds the Map holds the watched one.
 */
function watchAttributes(watched: Map<string, string>, changed: (name: string, before: string | undefined, after: string | undefined) => void): void {
  const { set, delete: remove, clear } = Map.prototype;
  // Configurable, so adding the same record again (a state file reloaded) re-wires it.
  Object.defineProperties(watched, {
    set: {
      configurable: true,
      value(name: string, value: string) {
        const before = watched.get(name);
        set.call(watched, name, value);
        changed(name, before, value);
        return watched;
      },
    },
    delete: {
      configurable: true,
      value(name: string) {
        const before = watched.get(name);
        const had = remove.call(watched, name);
        changed(name, before, undefined);
        return had;
      },
    },
    clear: {
      configurable: true,
      value() {
        const entries = [...watched];
        clear.call(watched);
        for (const [name, before] of entries) changed(name, before, undefined);
      },
    },
  });
}
