import type { AuthConfig } from "@cogkit/core";
import type { EmulatorState } from "../emulator-state.js";

/**
 * The client `AuthConfig` that points at this emulator; the hosted UI's `domain` is the
 * emulator's URL whenever the definition has `loginWith.externalProviders`.
 */
export function buildClientConfig(state: EmulatorState): AuthConfig {
  const external = state.definition.loginWith?.externalProviders;
  return {
    ...state.definition,
    ...(external ? { loginWith: { ...state.definition.loginWith, externalProviders: { ...external, domain: state.url } } } : {}),
    region: state.pool.region,
    userPoolId: state.pool.id,
    userPoolClientId: state.client.id,
    ...(state.client.secret !== undefined ? { clientSecret: state.client.secret } : {}),
    userPoolEndpoint: state.url,
    identityPoolEndpoint: state.url,
    ...(state.identityPool ? { identityPoolId: state.identityPool.id, allowGuestAccess: state.identityPool.allowUnauthenticated } : {}),
  };
}
