import type { AuthConfig } from "@cogkit/core";
import type { EmulatorState } from "../emulator-state.js";

/** The client `AuthConfig` that points at this emulator. */
export function buildClientConfig(state: EmulatorState): AuthConfig {
  return {
    ...state.definition,
    region: state.pool.region,
    userPoolId: state.pool.id,
    userPoolClientId: state.client.id,
    ...(state.client.secret !== undefined ? { clientSecret: state.client.secret } : {}),
    userPoolEndpoint: state.url,
    identityPoolEndpoint: state.url,
    ...(state.identityPool ? { identityPoolId: state.identityPool.id, allowGuestAccess: state.identityPool.allowUnauthenticated } : {}),
  };
}
