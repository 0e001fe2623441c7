import { randomBytes } from "node:crypto";
import type { AuthDefinition } from "@cogkit/core";
import { createCallCounter, type CallCounter } from "./control/call-counter.js";
import { createEmulatorClock, type EmulatorClock } from "./control/emulator-clock.js";
import { createFaultInjector, type FaultInjector } from "./control/fault-injector.js";
import { createOutbox, type WritableOutbox } from "./control/outbox.js";
import { resolveClientModel, resolvePoolModel, type ClientModel, type EmulatorOptions, type PoolModel } from "./emulator-options.js";
import { createClientId, createClientSecret, createUserPoolId, createUuid } from "./ids.js";
import { createCredentialStore, type CredentialStore } from "./identity-pool/credential-store.js";
import { createFakeIdentityProviders, type FakeIdentityProviders, type VerifyingIdentityProvider } from "./identity-pool/fake-identity-providers.js";
import { resolveGroupRoles, resolveIdentityPoolModel, type IdentityPoolModel } from "./identity-pool/identity-pool-options.js";
import { createIdentityStore, type IdentityStore } from "./identity-pool/identity-store.js";
import { createSigningKey, createSigningKeys, type SigningKey, type SigningKeys } from "./tokens/signing-keys.js";
import { createRefreshTokenStore, type RefreshTokenStore } from "./tokens/refresh-token-store.js";
import { createTokenIssuer, type TokenIssuer } from "./tokens/token-issuer.js";
import { modPow, type ModPow } from "./srp/srp-math.js";
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
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * Builds a fresh emulator state for a base URL (the issuer is `<url>/<poolId>`).
 *
 * @example
 * const state = await createEmulatorState({ url: "http://127.0.0.1:9229" }, {});
 */
export async function createEmulatorState(input: { url: string }, options: EmulatorOptions): Promise<EmulatorState> {
  const region = options.region ?? "us-east-1";
  if (!regionPattern.test(region)) throw new TypeError(`region must be an AWS region such as us-east-1, got ${JSON.stringify(region)}`);
  const definition = options.auth ?? defaultDefinition;
  const pool = resolvePoolModel(definition, region, createUserPoolId(region), resolveGroupRoles(options.groupRoles), options);
  const identityPool =
    options.identityPool === false
      ? undefined
      : resolveIdentityPoolModel(options.identityPool ?? {}, {
          id: `${region}:${createUuid()}`,
          region,
          userPoolLoginKey: `cognito-idp.${region}.amazonaws.com/${pool.id}`,
        });
  const client = resolveClientModel(options, createClientId(), options.clientSecret ? createClientSecret() : undefined);
  const clock = createEmulatorClock();
  const log = options.quiet ? undefined : options.log;
  const outbox = createOutbox(
    log &&
      ((message) =>
        log(`[cogkit-emulator] ${message.kind} code ${message.code} for ${message.username} (${message.deliveryMedium} to ${message.destination})`, message)),
  );
  const keys = await createSigningKeys();
  const url = input.url.replace(/\/+$/, "");
  const issuerUrl = `${url}/${pool.id}`;
  const refreshTokens = createRefreshTokenStore(clock);
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
    credentials: createCredentialStore(),
    providers: createFakeIdentityProviders(definition, clock),
    openIdKey: () => (openIdKey ??= createSigningKey()),
    oauth: createOAuthState(definition, options, clock),
    decoySecret: randomBytes(32),
    modPow,
  };
}
