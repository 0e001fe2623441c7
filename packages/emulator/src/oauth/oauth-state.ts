import type { AuthDefinition } from "@cogkit/core";
import type { EmulatorClock } from "../control/emulator-clock.js";
import type { EmulatorOptions } from "../emulator-options.js";
import type { TokenFamily } from "../tokens/refresh-token-store.js";
import type { AuthorizeRequest } from "./authorize-request.js";
import { createExpiringStore, type ExpiringStore } from "./expiring-store.js";
import { resolveMachineClient, resolveOAuthSettings, type MachineClient, type OAuthSettings } from "./oauth-settings.js";

/** Cognito's authorization codes live five minutes. */
export const codeLifetimeMs = 5 * 60 * 1000;
/** How long the hosted UI remembers a signed-in browser (Cognito: one hour). */
export const hostedSessionLifetimeMs = 60 * 60 * 1000;
/** How long a sign-in may stay on the login page between steps. */
export const pendingSignInLifetimeMs = 60 * 60 * 1000;

/** An authorization code's grant: what the token endpoint checks and issues. */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | undefined;
  scopes: readonly string[];
  nonce: string | undefined;
  username: string;
  /** Seconds since the epoch: when the user proved who they are. */
  authTime: number;
  /** Set on first use; a second use refuses and revokes what the first issued. */
  used: boolean;
  family?: TokenFamily;
}

/** A browser the hosted UI remembers (by cookie) as signed in. */
export interface HostedSession {
  username: string;
  authTime: number;
  /** The external provider it came through; undefined for the pool's own users. */
  providerName: string | undefined;
}

/** What a fake provider's consent page hands to `/oauth2/idpresponse`. */
export interface ProviderGrant {
  providerName: string;
  /** The pending sign-in (the authorize request) it answers. */
  requestKey: string;
  sub: string;
  email: string | undefined;
  name: string | undefined;
}

/** Everything of the user pool's OAuth domain. */
export interface OAuthState {
  settings: OAuthSettings;
  machineClient: MachineClient | undefined;
  /** Authorize requests waiting on the login page or a provider's consent page. */
  requests: ExpiringStore<AuthorizeRequest>;
  codes: ExpiringStore<CodeGrant>;
  sessions: ExpiringStore<HostedSession>;
  providerGrants: ExpiringStore<ProviderGrant>;
}

/**
 * Creates the OAuth side of an emulator.
 *
 * @example
 * const oauth = createOAuthState(definition, options, clock);
 */
export function createOAuthState(definition: AuthDefinition, options: EmulatorOptions, clock: EmulatorClock): OAuthState {
  return {
    settings: resolveOAuthSettings(definition, options),
    machineClient: resolveMachineClient(options),
    requests: createExpiringStore(clock, pendingSignInLifetimeMs),
    codes: createExpiringStore(clock, codeLifetimeMs),
    sessions: createExpiringStore(clock, hostedSessionLifetimeMs),
    providerGrants: createExpiringStore(clock, codeLifetimeMs),
  };
}
