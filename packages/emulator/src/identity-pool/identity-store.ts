import { createUuid } from "../ids.js";

/** One login of an identity: the provider's login key and the user's id there. */
export interface LinkedLogin {
  provider: string;
  subject: string;
}

/** One identity of the identity pool. */
export interface IdentityRecord {
  id: string;
  /** Empty for a guest (unauthenticated) identity. */
  logins: LinkedLogin[];
  enabled: boolean;
  /** Set once it was merged into another identity; it then answers "forbidden". */
  mergedInto?: string;
  createdAt: number;
  lastModifiedAt: number;
}

/**
 * An identity as the control API shows it.
 *
 * @example
 * const guests = emulator.identities().filter((i) => i.logins.length === 0);
 */
export interface IdentityDescription {
  identityId: string;
  /** Provider names of its logins, like Cognito's DescribeIdentity. */
  logins: string[];
  status: "active" | "disabled" | "merged";
  mergedInto?: string;
  /** Emulator time, ms since the epoch. */
  createdAt: number;
  lastModifiedAt: number;
}

/** The identities of the pool and the index from login to identity. */
export interface IdentityStore {
  create(logins: readonly LinkedLogin[]): IdentityRecord;
  get(id: string): IdentityRecord | undefined;
  /** The identity a login is linked to. */
  ownerOf(login: LinkedLogin): IdentityRecord | undefined;
  /** Links logins to an identity (turning a guest into an authenticated identity). */
  link(identity: IdentityRecord, logins: readonly LinkedLogin[]): void;
  /** Moves `source`'s logins to `target`; `source` then answers forbidden. */
  merge(source: IdentityRecord, target: IdentityRecord): void;
  delete(id: string): boolean;
  list(): IdentityDescription[];
  /** Every identity record, for the state file. */
  snapshot(): IdentityRecord[];
  /** Puts back what `snapshot()` returned, rebuilding the index from login to identity. */
  restore(saved: readonly IdentityRecord[]): void;
}

const loginKey = (login: LinkedLogin) => `${login.provider}\u0000${login.subject}`;

/**
 * Creates the identity table of a pool whose ids look like `<region>:<uuid>`.
 *
 * @example
 * const identities = createIdentityStore("us-east-1", () => clock.now());
 * const guest = identities.create([]);
 */
export function createIdentityStore(region: string, now: () => number): IdentityStore {
  const identities = new Map<string, IdentityRecord>();
  const byLogin = new Map<string, string>();
  const store: IdentityStore = {
    create(logins) {
      const at = now();
      const identity: IdentityRecord = { id: `${region}:${createUuid()}`, logins: [], enabled: true, createdAt: at, lastModifiedAt: at };
      identities.set(identity.id, identity);
      store.link(identity, logins);
      return identity;
    },
    get: (id) => identities.get(id),
    ownerOf(login) {
      const id = byLogin.get(loginKey(login));
      return id === undefined ? undefined : identities.get(id);
    },
    link(identity, logins) {
      for (const login of logins) {
        if (byLogin.get(loginKey(login)) === identity.id) continue;
        byLogin.set(loginKey(login), identity.id);
        identity.logins.push({ ...login });
        identity.lastModifiedAt = now();
      }
    },
    merge(source, target) {
      const moving = source.logins;
      source.logins = [];
      source.mergedInto = target.id;
      source.lastModifiedAt = now();
      store.link(target, moving);
    },
    delete(id) {
      const identity = identities.get(id);
      if (!identity) return false;
      for (const login of identity.logins) byLogin.delete(loginKey(login));
      identities.delete(id);
      return true;
    },
    list: () =>
      [...identities.values()].map((i) => ({
        identityId: i.id,
        logins: [...new Set(i.logins.map((l) => l.provider))],
        status: i.mergedInto !== undefined ? "merged" : i.enabled ? "active" : "disabled",
        ...(i.mergedInto !== undefined ? { mergedInto: i.mergedInto } : {}),
        createdAt: i.createdAt,
        lastModifiedAt: i.lastModifiedAt,
      })),
    snapshot: () => [...identities.values()],
    restore(saved) {
      for (const identity of saved) {
        identities.set(identity.id, identity);
        for (const login of identity.logins) byLogin.set(loginKey(login), identity.id);
      }
    },
  };
  return store;
}
