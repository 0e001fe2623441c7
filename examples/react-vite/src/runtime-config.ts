import type { AuthConfig, AuthDefinition, ExternalProviders, PoolSettings } from "@cogkit/core";

/**
 * Where the pools are, served beside the app as `/__cogkit/config.json` — by the Vite plugin
 * in `pnpm dev`, by the browser tests' server in tests — so one build runs against any
 * emulator. `emulatorUrl` is set only for an emulator: the app then shows its outbox.
 * `hostedUi` is the user pool's hosted-UI domain and the app client's callback and sign-out
 * URLs, which depend on where the app is served.
 */
export interface RuntimeConfig {
  pool: PoolSettings;
  hostedUi?: Pick<ExternalProviders, "domain" | "callbackUrls" | "logoutUrls">;
  emulatorUrl?: string;
}

export const runtimeConfigPath = "/__cogkit/config.json";

export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch(runtimeConfigPath);
  if (!response.ok) throw new Error(`${runtimeConfigPath} answered ${response.status}`);
  return (await response.json()) as RuntimeConfig;
}

/** The runtime config of an emulator's client config (the definition comes from `auth.ts`). */
export function runtimeConfigOf(emulator: { url: string; config: AuthConfig }): RuntimeConfig {
  const { region, userPoolId, userPoolClientId, userPoolEndpoint, identityPoolEndpoint, identityPoolId, allowGuestAccess } = emulator.config;
  const external = emulator.config.loginWith?.externalProviders;
  return {
    pool: { region, userPoolId, userPoolClientId, userPoolEndpoint, identityPoolEndpoint, identityPoolId, allowGuestAccess },
    ...(external && { hostedUi: { domain: external.domain, callbackUrls: external.callbackUrls, logoutUrls: external.logoutUrls } }),
    emulatorUrl: emulator.url,
  };
}

/** The definition with the hosted-UI URLs of `appUrl` (the origin the app is served from, with a trailing slash). */
export function servedAt<D extends AuthDefinition<any>>(definition: D, appUrl: string): D {
  const loginWith = definition.loginWith ?? {};
  const external = loginWith.externalProviders;
  if (!external) return definition;
  return { ...definition, loginWith: { ...loginWith, externalProviders: { ...external, callbackUrls: [appUrl], logoutUrls: [appUrl] } } };
}

/** The client config: the definition with the runtime's pools and hosted-UI settings. */
export function clientConfigOf<D extends AuthDefinition<any>>(definition: D, runtime: RuntimeConfig): D & PoolSettings {
  const external = definition.loginWith?.externalProviders;
  const loginWith = external && runtime.hostedUi ? { ...definition.loginWith, externalProviders: { ...external, ...runtime.hostedUi } } : definition.loginWith;
  return { ...definition, ...runtime.pool, loginWith };
}
