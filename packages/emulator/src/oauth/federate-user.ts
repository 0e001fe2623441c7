import type { EmulatorState } from "../emulator-state.js";
import { createOpaqueToken, createUuid } from "../ids.js";
import { createSrpVerifier } from "../srp/srp-math.js";
import type { UserRecord } from "../user-pool/user-store.js";
import type { HostedProvider } from "./oauth-settings.js";

/** What an external provider says about its user. */
export interface ProviderProfile {
  sub: string;
  email: string | undefined;
  name: string | undefined;
}

// Providers whose tokens assert that the address was verified; Facebook and Amazon do not.
const verifiesEmail = new Set(["Google", "SignInWithApple", "OIDC"]);

/**
 * Creates or updates the pool user of an external provider's user, as Cognito does:
 * username `<ProviderName>_<sub>`, status EXTERNAL_PROVIDER, attributes mapped from the
 * provider at every sign-in, the `identities` attribute, and the automatic group
 * `<poolId>_<ProviderName>`.
 *
 * @example
 * const user = federateUser(state, provider, { sub: "1234", email: "ana@example.com", name: "Ana" }); // Google_1234
 */
export function federateUser(state: EmulatorState, provider: HostedProvider, profile: ProviderProfile): UserRecord {
  const username = `${provider.name}_${profile.sub}`;
  const now = state.clock.now();
  const group = `${state.pool.id}_${provider.name}`;
  state.pool.groups.add(group);
  let user = state.users.byUsername(username);
  if (!user) {
    const sub = createUuid();
    const identities = [{ userId: profile.sub, providerName: provider.name, providerType: provider.type, dateCreated: now }];
    user = {
      username,
      sub,
      status: "EXTERNAL_PROVIDER",
      identities,
      enabled: true,
      attributes: new Map([
        ["sub", sub],
        ["identities", JSON.stringify(identities.map((i) => ({ ...i, issuer: null, primary: true, dateCreated: i.dateCreated })))],
      ]),
      // Nobody knows this password: federated users never sign in with one.
      password: createSrpVerifier({ poolName: state.pool.name, userId: username, password: createOpaqueToken(32) }, state.modPow),
      groups: new Set(),
      codes: new Map(),
      createdAt: now,
      updatedAt: now,
    };
    state.users.add(user);
  }
  user.groups.add(group);
  if (profile.email !== undefined) {
    user.attributes.set("email", profile.email);
    user.attributes.set("email_verified", verifiesEmail.has(provider.type) ? "true" : "false");
  }
  if (profile.name !== undefined) user.attributes.set("name", profile.name);
  user.updatedAt = now;
  return user;
}
