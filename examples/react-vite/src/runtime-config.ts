import type { PoolSettings } from "@cogkit/core";

/**
 * Where the pools are, served beside the app as `/__cogkit/config.json` — by the Vite plugin
 * in `pnpm dev`, by the browser tests' server in tests — so one build runs against any
 * emulator. `emulatorUrl` is set only for an emulator: the app then shows its outbox.
 */
export interface RuntimeConfig {
  pool: PoolSettings;
  emulatorUrl?: string;
}

export const runtimeConfigPath = "/__cogkit/config.json";

export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch(runtimeConfigPath);
  if (!response.ok) throw new Error(`${runtimeConfigPath} answered ${response.status}`);
  return (await response.json()) as RuntimeConfig;
}

/** The pool settings part of an emulator's client config (the definition comes from `auth.ts`). */
export function runtimeConfigOf(emulator: { url: string; config: PoolSettings }): RuntimeConfig {
  const { region, userPoolId, userPoolClientId, userPoolEndpoint, identityPoolEndpoint, identityPoolId, allowGuestAccess } = emulator.config;
  return { pool: { region, userPoolId, userPoolClientId, userPoolEndpoint, identityPoolEndpoint, identityPoolId, allowGuestAccess }, emulatorUrl: emulator.url };
}
