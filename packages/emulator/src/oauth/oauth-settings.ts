import type { AuthDefinition } from "@cogkit/core";
import type { EmulatorOptions } from "../emulator-options.js";
import type { FakeIdentityProviders } from "../identity-pool/fake-identity-providers.js";
import { createClientId, createClientSecret } from "../ids.js";

/** The scopes Cognito defines for every app client. */
export const standardScopes = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"] as const;

/** An external provider the pool signs users in with, as the hosted UI names it. */
export interface HostedProvider {
  /** Its name on the wire (`identity_provider`) and in `<name>_<sub>` usernames. */
  name: string;
  /** Cognito's provider type: `Google`, `SignInWithApple`, `Facebook`, `LoginWithAmazon`, `OIDC`. */
  type: string;
  /** Which fake of `emulator.providers` stands for it (its sub and audience conventions). */
  fake: keyof FakeIdentityProviders;
}

/** The app client's hosted-UI settings, from the definition's `loginWith.externalProviders`. */
export interface OAuthSettings {
  callbackUrls: readonly string[];
  logoutUrls: readonly string[];
  scopes: ReadonlySet<string>;
  /** Configured external providers by wire name. */
  providers: ReadonlyMap<string, HostedProvider>;
}

/**
 * The confidential app client of `resourceServers`, allowed only the client-credentials grant.
 *
 * @example
 * const { clientId, clientSecret, scopes } = emulator.machineClient!;
 */
export interface MachineClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Every scope it may ask for, `<identifier>/<scope>`. */
  readonly scopes: readonly string[];
}

const builtInProviders = [
  ["google", { name: "Google", type: "Google", fake: "google" }],
  ["signInWithApple", { name: "SignInWithApple", type: "SignInWithApple", fake: "apple" }],
  ["facebook", { name: "Facebook", type: "Facebook", fake: "facebook" }],
  ["loginWithAmazon", { name: "LoginWithAmazon", type: "LoginWithAmazon", fake: "amazon" }],
] as const;

const scopePattern = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** Resolves the hosted-UI settings. Misuse of the options is a TypeError, thrown at once. */
export function resolveOAuthSettings(definition: AuthDefinition, options: EmulatorOptions): OAuthSettings {
  const external = definition.loginWith?.externalProviders;
  const providers = new Map<string, HostedProvider>();
  for (const [key, provider] of builtInProviders) if (external?.[key]) providers.set(provider.name, provider);
  for (const oidc of external?.oidc ?? []) providers.set(oidc.name, { name: oidc.name, type: "OIDC", fake: "oidc" });
  const scopes = options.oauthScopes ?? standardScopes;
  for (const scope of scopes) {
    if (!(standardScopes as readonly string[]).includes(scope)) {
      throw new TypeError(`oauthScopes: ${JSON.stringify(scope)} is not one of ${standardScopes.join(", ")}`);
    }
  }
  return { callbackUrls: external?.callbackUrls ?? [], logoutUrls: external?.logoutUrls ?? [], scopes: new Set(scopes), providers };
}

/** The machine client for `resourceServers`, or undefined without any. */
export function resolveMachineClient(options: EmulatorOptions): MachineClient | undefined {
  const servers = options.resourceServers;
  if (servers === undefined || servers.length === 0) return undefined;
  const scopes: string[] = [];
  for (const [index, server] of servers.entries()) {
    if (typeof server?.identifier !== "string" || server.identifier === "" || !scopePattern.test(server.identifier)) {
      throw new TypeError(`resourceServers[${index}].identifier must be a non-empty string without spaces`);
    }
    if (!Array.isArray(server.scopes) || server.scopes.length === 0) throw new TypeError(`resourceServers[${index}].scopes must be a non-empty array of names`);
    for (const scope of server.scopes) {
      if (typeof scope !== "string" || !scopePattern.test(scope)) throw new TypeError(`resourceServers[${index}].scopes: ${JSON.stringify(scope)} is not a scope name`);
      scopes.push(`${server.identifier}/${scope}`);
    }
  }
  return { clientId: createClientId(), clientSecret: createClientSecret(), scopes };
}
