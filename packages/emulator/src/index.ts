export { startEmulator } from "./start-emulator.js";
export type { Emulator } from "./start-emulator.js";
export { createEmulator } from "./create-emulator.js";
export type { EmulatorCore } from "./create-emulator.js";
export type { EmulatorHandler } from "./create-emulator-handler.js";
export type { ServerLimits } from "./serve-fetch-handler.js";
export type {
  DeviceTracking,
  EmulatorOptions,
  ExplicitAuthFlow,
  FirstAuthFactor,
  RefreshTokenRotation,
  ResourceServer,
  TokenValidity,
  WebAuthnSettings,
} from "./emulator-options.js";
export type { MachineClient } from "./oauth/oauth-settings.js";
export type { GroupRole, IdentityPoolOptions, RoleMapping } from "./identity-pool/identity-pool-options.js";
export type { FakeIdentityProvider, FakeIdentityProviders, MintTokenInput } from "./identity-pool/fake-identity-providers.js";
export type { IdentityDescription } from "./identity-pool/identity-store.js";
export type { Fault } from "./control/fault-injector.js";
export type { Outbox, OutboxKind, OutboxMessage } from "./control/outbox.js";
export { computeSecretHash } from "./user-pool/secret-hash.js";
export { formatSrpTimestamp } from "./srp/srp-timestamp.js";
export { generateTotp } from "./user-pool/totp.js";
export { createSoftwareAuthenticator } from "./user-pool/software-authenticator.js";
export type { AuthenticatorTamper, SoftwareAuthenticator, SoftwareAuthenticatorOptions, SoftwarePasskey } from "./user-pool/software-authenticator.js";
