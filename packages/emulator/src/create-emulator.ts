import type { AuthConfig } from "@cogkit/core";
import { buildClientConfig } from "./control/build-client-config.js";
import type { Fault } from "./control/fault-injector.js";
import type { Outbox } from "./control/outbox.js";
import { createEmulatorHandler, type EmulatorHandler } from "./create-emulator-handler.js";
import type { EmulatorOptions } from "./emulator-options.js";
import { createEmulatorState } from "./emulator-state.js";
import { CognitoError } from "./protocol/cognito-error.js";
import { addUserToGroup } from "./user-pool/admin-add-user-to-group.js";
import { createForcedUser } from "./user-pool/admin-create-user.js";
import { generateTotp } from "./user-pool/totp.js";
import type { FakeIdentityProviders } from "./identity-pool/fake-identity-providers.js";
import { deleteIdentity, disableIdentity, listIdentities } from "./identity-pool/identity-controls.js";
import type { IdentityDescription } from "./identity-pool/identity-store.js";
import { userPoolLoginKey } from "./identity-pool/verify-logins.js";
import type { MachineClient } from "./oauth/oauth-settings.js";
import { createSoftwareAuthenticator, type SoftwareAuthenticator } from "./user-pool/software-authenticator.js";
import { openStateFile } from "./state/state-persistence.js";
import { checkEmulatorOptions } from "./check-options.js";

/**
 * An emulator without a server: its handler, its client config and its test controls.
 *
 * @example
 * emulator.advanceTime(3600 * 1000); // access tokens issued now have expired
 * expect(emulator.callCount("GetTokensFromRefreshToken")).toBe(1);
 * const google = await emulator.providers.google.mintToken({ sub: "g-1" });
 */
export interface EmulatorCore {
  /** Base URL the emulator answers on (also the tokens' issuer base). */
  readonly url: string;
  /** A ready client config pointing at the emulator. */
  readonly config: AuthConfig;
  /** Codes the emulator "sent". */
  readonly outbox: Outbox;
  /** The Fetch-API handler (for msw, a service worker or a custom server). */
  readonly handle: EmulatorHandler;
  /** How many calls an operation (e.g. `"InitiateAuth"`) got, faulted ones included. */
  callCount(operation: string): number;
  /** Moves emulator time forward; returns the new emulator time in ms since the epoch. */
  advanceTime(ms: number): number;
  /** The emulator's current time in ms since the epoch. */
  now(): number;
  /** Makes the next `fault.times` (default 1) calls of an operation fail or stall. */
  injectFault(operation: string, fault: Fault): void;
  /** Drops every pending fault. */
  clearFaults(): void;
  /**
   * Adds a FORCE_CHANGE_PASSWORD user, as AdminCreateUser with `MessageAction: "SUPPRESS"`:
   * their first sign-in answers NEW_PASSWORD_REQUIRED. With `password` instead, a CONFIRMED
   * user who signs in with it (as AdminSetUserPassword with `Permanent` after that) — the
   * quick way to seed many users. Returns the real username (a UUID in pools that sign in
   * with email or phone). TypeError for input Cognito would refuse.
   *
   * @example
   * emulator.createUser({ username: "ana@example.com", temporaryPassword: "Temp-pass-1", attributes: { given_name: "Ana" } });
   * emulator.createUser({ username: "bo@example.com", password: "Correct-horse-1", attributes: { email_verified: "true" } });
   */
  createUser(input: { username: string; attributes?: Record<string, string> } & ({ temporaryPassword: string; password?: undefined } | { password: string; temporaryPassword?: undefined })): string;
  /**
   * The TOTP code an authenticator shows for a base32 secret (AssociateSoftwareToken's
   * `SecretCode`) at emulator time, or at `atMs`.
   *
   * @example
   * const UserCode = emulator.totp(SecretCode);
   */
  totp(secret: string, atMs?: number): string;
  /** Adds a user (by username, email or phone) to one of the definition's groups. */
  addUserToGroup(username: string, group: string): void;
  /** The identity pool's `Logins` key for this user pool: `cognito-idp.<region>.amazonaws.com/<poolId>`. */
  readonly userPoolLoginKey: string;
  /** Fake external identity providers whose tokens the identity pool accepts; tests mint tokens with them. */
  readonly providers: FakeIdentityProviders;
  /** Every identity of the identity pool, merged-away ones included. */
  identities(): IdentityDescription[];
  /** Deletes an identity (then ResourceNotFoundException). TypeError for an unknown id. */
  deleteIdentity(identityId: string): void;
  /** Disables an identity (then NotAuthorizedException). TypeError for an unknown id. */
  disableIdentity(identityId: string): void;
  /**
   * The confidential app client that `resourceServers` creates, allowed only the
   * client-credentials grant at `/oauth2/token`; undefined without resource servers.
   *
   * @example
   * const { clientId, clientSecret, scopes } = emulator.machineClient!; // scopes: ["https://api.example.com/read", ...]
   */
  readonly machineClient: MachineClient | undefined;
  /**
   * A software passkey authenticator for Node tests, on the first of `webAuthn.origins`
   * (default `http://localhost`): `create` answers StartWebAuthnRegistration's options, `get`
   * a WEB_AUTHN challenge's; each takes a tamper argument to test refusals.
   *
   * @example
   * const CREDENTIAL = JSON.stringify(await emulator.passkeys.get(ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS));
   */
  readonly passkeys: SoftwareAuthenticator;
  /**
   * Writes the `state` file now if anything changed (it is written shortly after every
   * change anyway, and by `stop()`); resolves at once without a state file.
   *
   * @example
   * await emulator.saveState(); // before copying the file elsewhere
   */
  saveState(): Promise<void>;
}

/**
 * Whether a request may change what the state file keeps: all but preflights and reads of
 * the control API and the keys (a page polling the outbox causes no writes). Other GETs can:
 * a federated sign-in creates its user on a redirect.
 */
function mayChange(request: Request): boolean {
  if (request.method === "OPTIONS") return false;
  if (request.method !== "GET" && request.method !== "HEAD") return true;
  const path = new URL(request.url).pathname;
  return !(path.startsWith("/_emulator/") || path.includes("/.well-known/"));
}

/**
 * Builds an emulator for a given base URL without opening a port — for msw or any
 * Fetch-API host. `startEmulator` is this plus a node:http server.
 *
 * @example
 * const emulator = await createEmulator({ url: "http://cognito.test" });
 * const response = await emulator.handle(new Request("http://cognito.test/_emulator/calls"));
 */
export async function createEmulator(options: EmulatorOptions & { url: string }): Promise<EmulatorCore> {
  checkEmulatorOptions({ ...options, url: undefined });
  const file = options.state === undefined ? undefined : await openStateFile(options.state, options);
  const state = await createEmulatorState({ url: options.url, seed: file?.seed }, options);
  const writer = await file?.attach(state);
  // Whatever a request or a test control changed reaches the file in the next coalesced write.
  const changed = <T>(result: T): T => {
    writer?.changed();
    return result;
  };
  const handle = createEmulatorHandler(state, undefined, { allowedOrigins: options.allowedOrigins });
  const config = buildClientConfig(state);
  return {
    url: state.url,
    config,
    outbox: { latest: (login) => state.outbox.latest(login), all: (login) => state.outbox.all(login) },
    handle: writer ? (request) => handle(request).finally(() => mayChange(request) && writer.changed()) : handle,
    saveState: () => writer?.flush() ?? Promise.resolve(),
    callCount: (operation) => state.calls.count(operation),
    advanceTime: (ms) => changed(state.clock.advance(ms)),
    now: () => state.clock.now(),
    injectFault: (operation, fault) => state.faults.inject(operation, fault),
    clearFaults: () => state.faults.clear(),
    userPoolLoginKey: userPoolLoginKey(state),
    providers: state.providers,
    machineClient: state.oauth.machineClient,
    passkeys: createSoftwareAuthenticator({ origin: state.pool.webAuthn.origins?.[0] ?? "http://localhost" }),
    identities: () => listIdentities(state),
    deleteIdentity: (identityId) => changed(deleteIdentity(state, identityId)),
    disableIdentity: (identityId) => changed(disableIdentity(state, identityId)),
    createUser({ username, temporaryPassword, password, attributes = {} }) {
      if (typeof username !== "string" || typeof (password ?? temporaryPassword) !== "string" || (password !== undefined && temporaryPassword !== undefined)) {
        throw new TypeError("createUser: username and one of temporaryPassword or password must be strings");
      }
      try {
        const list = Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
        return changed(createForcedUser(state, { username, temporaryPassword, ...(password === undefined ? {} : { password }), attributes: list }).username);
      } catch (error) {
        throw error instanceof CognitoError ? new TypeError(`createUser: ${error.message}`) : error;
      }
    },
    totp: (secret, atMs) => generateTotp(secret, atMs ?? state.clock.now()),
    addUserToGroup(username, group) {
      try {
        changed(addUserToGroup(state, username, group));
      } catch (error) {
        throw error instanceof CognitoError ? new TypeError(`addUserToGroup: ${error.message}`) : error;
      }
    },
  };
}
