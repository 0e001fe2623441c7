import { randomBytes } from "node:crypto";
import type { AuthDefinition } from "@cogkit/core";
import { createCallCounter, type CallCounter } from "./control/call-counter.js";
import { createEmulatorClock, type EmulatorClock } from "./control/emulator-clock.js";
import { createFaultInjector, type FaultInjector } from "./control/fault-injector.js";
import { createOutbox, type WritableOutbox } from "./control/outbox.js";
import { resolveClientModel, resolvePoolModel, type ClientModel, type EmulatorOptions, type PoolModel } from "./emulator-options.js";
import { resolveIds, type EmulatorIds } from "./state/fixed-ids.js";
import { createCredentialStore, type CredentialStore } from "./identity-pool/credential-store.js";
import { createFakeIdentityProviders, type FakeIdentityProviders, type VerifyingIdentityProvider } from "./identity-pool/fake-identity-providers.js";
import { resolveGroupRoles, resolveIdentityPoolModel, type IdentityPoolModel } from "./identity-pool/identity-pool-options.js";
import { createIdentityStore, type IdentityStore } from "./identity-pool/identity-store.js";
import { createSigningKey, createSigningKeys, type SigningKey, type SigningKeys } from "./tokens/signing-keys.js";
import { createRefreshTokenStore, type RefreshTokenStore } from "./tokens/refresh-token-store.js";
import { createTokenIssuer, type TokenIssuer } from "./tokens/token-issuer.js";
import type { ModPow } from "./srp/srp-math.js";
import { createNativeModPow } from "./srp/native-mod-pow.js";
import { createAuthSessionStore, type AuthSessionStore } from "./user-pool/auth-session-store.js";
import { createUserStore, type UserStore } from "./user-pool/user-store.js";
import { createDeviceStore, type DeviceStore } from "./user-pool/device-store.js";
import { createOAuthState, type OAuthState } from "./oauth/oauth-state.js";

/** Everything one emulator holds; operations read and change it. */
export interface EmulatorState {
  url: string;
  issuerUrl: string;
  definition: AuthDefinition;
  pool: PoolModel;
  client: ClientModel;
  clock: EmulatorClock;
  outbox: WritableOutbox;
  faults: FaultInjector;
  calls: CallCounter;
  users: UserStore;
  /** Devices of users, when the pool tracks them. */
  devices: DeviceStore;
  refreshTokens: RefreshTokenStore;
  tokens: TokenIssuer;
  keys: SigningKeys;
  authSessions: AuthSessionStore;
  /** The identity pool; undefined when the options turned it off. */
  identityPool: IdentityPoolModel | undefined;
  identities: IdentityStore;
  /** Credentials issued by GetCredentialsForIdentity, which STS GetCallerIdentity checks. */
  credentials: CredentialStore;
  /** Fake external identity providers (Google, Apple, Facebook, Amazon, OIDC). */
  providers: { [K in keyof FakeIdentityProviders]: VerifyingIdentityProvider };
  /** The key of GetOpenIdToken's tokens, made on first use. */
  openIdKey(): Promise<SigningKey>;
  /** The user pool's OAuth domain: hosted-UI settings, codes, sessions, the machine client. */
  oauth: OAuthState;
  /** Keys decoy SRP challenges for unknown users, so repeated attempts look the same. */
  decoySecret: Buffer;
  /** The modular exponentiation of sign-in SRP: one seam to count its work (known and unknown users must cost the same) or swap it. */
  modPow: ModPow;
}

const defaultDefinition: AuthDefinition = { loginWith: { email: true } };

/** What a state file gives a new emulator before its records: ids, keys, the decoy secret. */
export interface StateSeed {
  ids: EmulatorIds;
  keys: SigningKeys;
  decoySecret: Buffer;
}

/**
 * Builds a fresh emulator state for a base URL (the issuer is `<url>/<poolId>`).
 *
 * @example
 * const state = await createEmulatorState({ url: "http://127.0.0.1:9229" }, {});
 */
export async function createEmulatorState(input: { url: string; seed?: StateSeed | undefined }, options: EmulatorOptions): Promise<EmulatorState> {
  const ids = input.seed?.ids ?? resolveIds(options, undefined, undefined);
  const region = ids.region;
  const definition = options.auth ?? defaultDefinition;
  const pool = resolvePoolModel(definition, region, ids.userPoolId, resolveGroupRoles(options.groupRoles), options);
  const identityPool =
    ids.identityPoolId === undefined
      ? undefined
      : resolveIdentityPoolModel(options.identityPool || {}, {
          id: ids.identityPoolId,
          region,
          userPoolLoginKey: `cognito-idp.${region}.amazonaws.com/${pool.id}`,
        });
  const client = resolveClientModel(options, ids.userPoolClientId, ids.clientSecret);
  const clock = createEmulatorClock();
  const log = options.quiet ? undefined : options.log;
  // The line names what was sent and the masked destination, never the username or
  // address (personal data in a terminal or CI log); the hook's message has them for code.
  const outbox = createOutbox(log && ((message) => log(`[cogkit-emulator] ${message.kind} code ${message.code} sent (${message.deliveryMedium} to ${message.destination})`, message)));
  const keys = input.seed?.keys ?? (await createSigningKeys());
  const url = input.url.replace(/\/+$/, "");
  const issuerUrl = `${url}/${pool.id}`;
  // Families are forgotten a while after they end: at least as long as their access tokens live.
  const refreshTokens = createRefreshTokenStore(clock, { retentionMs: Math.max(24 * 3600, client.tokenValidity.accessSeconds) * 1000 });
  let openIdKey: Promise<SigningKey> | undefined;
  return {
    url,
    issuerUrl,
    definition,
    pool,
    client,
    clock,
    outbox,
    faults: createFaultInjector(),
    calls: createCallCounter(),
    users: createUserStore(pool),
    devices: createDeviceStore(region, clock),
    refreshTokens,
    tokens: createTokenIssuer({ keys, issuerUrl, clock, client, refreshTokens, groupRoles: pool.groupRoles }),
    keys,
    authSessions: createAuthSessionStore(clock),
    identityPool,
    identities: createIdentityStore(region, () => clock.now()),
    credentials: createCredentialStore(() => clock.now()),
    providers: createFakeIdentityProviders(definition, clock),
    openIdKey: () => (openIdKey ??= createSigningKey()),
    oauth: withMachineClientIds(createOAuthState(definition, options, clock), ids),
    decoySecret: input.seed?.decoySecret ?? randomBytes(32),
    modPow: createNativeModPow(),
  };
}

/** The machine client keeps the id and secret the ids chose (a state file's, across restarts). */
function withMachineClientIds(oauth: OAuthState, ids: EmulatorIds): OAuthState {
  if (oauth.machineClient && ids.machineClient) oauth.machineClient = { ...oauth.machineClient, ...ids.machineClient };
  return oauth;
}
