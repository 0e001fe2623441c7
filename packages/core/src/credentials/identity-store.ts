import type { KeyValueStorage } from "../platform/types.js";

/**
 * The identity id kept for an identity pool, and whom it belongs to: `subject` is `null`
 * for a guest (unauthenticated) identity, otherwise the {@link loginsSubject} of the logins
 * that obtained it.
 */
export interface StoredIdentity {
  id: string;
  subject: string | null;
}

/** Reads and writes the one {@link StoredIdentity} of an identity pool. See {@link createIdentityStore}. */
export interface IdentityStore {
  /** The stored identity, or `null` when there is none or the record cannot be read. */
  load(): Promise<StoredIdentity | null>;
  /** Never rejects: a failed write only means the id is asked of Cognito again later. */
  save(identity: StoredIdentity): Promise<void>;
  /** Forgets the identity (sign-out, a deleted identity); never rejects. */
  clear(): Promise<void>;
}

/**
 * The storage key of an identity pool's identity record.
 *
 * @example
 * identityStoreKey("eu-west-1:0000-…") // "cogkit.eu-west-1:0000-….identity"
 */
export function identityStoreKey(identityPoolId: string): string {
  return `cogkit.${identityPoolId}.identity`;
}

/**
 * Keeps the identity id of an identity pool in storage (key `cogkit.<identityPoolId>.identity`),
 * guests' too: a guest who comes back keeps their identity, and Cognito can carry it into
 * the authenticated one at sign-in. A record that cannot be read counts as none.
 *
 * @example
 * const identities = createIdentityStore({ storage, identityPoolId: "eu-west-1:0000-…" });
 * await identities.save({ id: "eu-west-1:1234-…", subject: null });
 */
export function createIdentityStore(options: { storage: KeyValueStorage; identityPoolId: string }): IdentityStore {
  const { storage } = options;
  const key = identityStoreKey(options.identityPoolId);
  return {
    async load() {
      try {
        // A record of `null` fails here too, as corrupt.
        const { v, id, subject }: Record<string, unknown> = JSON.parse((await storage.getItem(key)) ?? "{}");
        if (v === 1 && typeof id === "string" && id !== "" && (subject === null || typeof subject === "string")) return { id, subject };
      } catch {
        // Unreadable storage or a corrupt record: as if there were none; the next save replaces it.
      }
      return null;
    },
    // A storage that refuses writes (quota, private mode) costs a GetId next time, never the credentials.
    save: ({ id, subject }) => quietly(() => storage.setItem(key, JSON.stringify({ v: 1, id, subject }))),
    clear: () => quietly(() => storage.removeItem(key)),
  };
}

async function quietly(write: () => void | Promise<void>): Promise<void> {
  try {
    await write();
  } catch {
    // See save().
  }
}
