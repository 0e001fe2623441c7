export { AuthError, isAuthError } from "./errors.js";
export type { AuthErrorCode, AuthErrorOptions } from "./errors.js";
export { defineAuth, validateConfig, validatePoolSettings, standardAttributeNames } from "./config.js";
export type {
  AttributeDataType,
  AuthConfig,
  AuthDefinition,
  CustomAttributeDefinition,
  ExternalProviders,
  ExternalProviderSettings,
  LoginWith,
  MultifactorSettings,
  PasswordPolicy,
  PoolSettings,
  StandardAttributeDefinition,
  UserAttributes,
  UserAttributeSchema,
} from "./config.js";
export { createAuthClient } from "./client.js";
export type { AuthClient, AuthClientOptions, AuthEvent, AuthTokens } from "./client.js";
export { clearFederation, federate, getCredentials, getIdentityId } from "./credentials/get-credentials.js";
export type { FederateInput } from "./credentials/get-credentials.js";
export { createCredentialsManager } from "./credentials/credentials-manager.js";
export type {
  AwsCredentials,
  CredentialsManager,
  CredentialsManagerOptions,
  GetCredentialsOptions,
} from "./credentials/credentials-manager.js";
export { createIdentityStore, identityStoreKey } from "./credentials/identity-store.js";
export type { IdentityStore, StoredIdentity } from "./credentials/identity-store.js";
export { federatedLoginKey, loginsSubject, userPoolLoginKey } from "./credentials/logins.js";
export type { FederatedProvider, Logins } from "./credentials/logins.js";
export type { RetryOptions } from "./credentials/retry-transient.js";
export type { AuthSnapshot, AuthStatus, AuthUser } from "./auth-snapshot.js";
export type { SessionSource } from "./session/session-machine.js";
export type { SessionTokens } from "./session/session-tokens.js";
export type { RefreshErrorClass } from "./session/refresh-error-class.js";
export type { SessionRecordProblem } from "./session/session-record.js";
export type { JwtPayload, JwtToken } from "./jwt.js";
export type { ChoiceSignInInput, PasswordSignInInput, SignInInput, SignInResult } from "./user-pool/sign-in.js";
export { registerPasskey } from "./passkeys/register-passkey.js";
export type { RegisterPasskeyOptions } from "./passkeys/register-passkey.js";
export { listPasskeys } from "./passkeys/list-passkeys.js";
export type { Passkey } from "./passkeys/list-passkeys.js";
export { deletePasskey } from "./passkeys/delete-passkey.js";
export type { DeletePasskeyInput } from "./passkeys/delete-passkey.js";
export { isPasskeySupported } from "./passkeys/is-passkey-supported.js";
export { getAuthFactors } from "./user-pool/get-auth-factors.js";
export type { AuthFactor } from "./user-pool/get-auth-factors.js";
export type { ConfirmSignInInput } from "./user-pool/confirm-sign-in.js";
export { setUpTotp, verifyTotpSetup } from "./user-pool/totp.js";
export type { TotpSetup, VerifyTotpSetupInput } from "./user-pool/totp.js";
export { updateMfaPreference } from "./user-pool/update-mfa-preference.js";
export { updateUserAttributes } from "./user-pool/update-user-attributes.js";
export type { AttributeUpdate, UpdateUserAttributesInput, UpdateUserAttributesResult } from "./user-pool/update-user-attributes.js";
export type { WritableAttributeName, WritableAttributes } from "./user-pool/writable-attributes.js";
export { fetchUserAttributes } from "./user-pool/fetch-user-attributes.js";
export type { AccountCallOptions } from "./user-pool/fetch-user-attributes.js";
export { confirmUserAttribute, sendUserAttributeVerificationCode } from "./user-pool/confirm-user-attribute.js";
export type { ConfirmUserAttributeInput, SendUserAttributeVerificationCodeInput, VerifiableAttribute } from "./user-pool/confirm-user-attribute.js";
export { deleteUserAttributes } from "./user-pool/delete-user-attributes.js";
export type { DeleteUserAttributesInput } from "./user-pool/delete-user-attributes.js";
export { deleteUser } from "./user-pool/delete-user.js";
export { fetchMfaPreference } from "./user-pool/fetch-mfa-preference.js";
export { trackDevices } from "./devices/track-devices.js";
export { rememberDevice } from "./devices/remember-device.js";
export { forgetDevice } from "./devices/forget-device.js";
export type { ForgetDeviceInput } from "./devices/forget-device.js";
export { listDevices } from "./devices/list-devices.js";
export type { ListDevicesInput, ListDevicesResult, UserDevice } from "./devices/list-devices.js";
export type { MfaMethod, MfaPreferenceSettings } from "./user-pool/fetch-mfa-preference.js";
export type { MfaPreference, UpdateMfaPreferenceInput } from "./user-pool/update-mfa-preference.js";
export type { SignUpInput, SignUpResult, ConfirmSignUpInput, ConfirmSignUpNextStep, ResendSignUpCodeInput } from "./user-pool/sign-up.js";
export type { SignOutOptions } from "./user-pool/sign-out.js";
// The hosted UI (signInWithRedirect, completeSignIn, ...) is the `@cogkit/core/hosted-ui` entry.
export { confirmForgotPassword, forgotPassword } from "./user-pool/forgot-password.js";
export type { ConfirmForgotPasswordInput, ForgotPasswordInput } from "./user-pool/forgot-password.js";
export { changePassword } from "./user-pool/change-password.js";
export type { ChangePasswordInput } from "./user-pool/change-password.js";
export type { CodeDelivery, FirstFactor, MfaType, SignInNextStep, SignUpNextStep } from "./user-pool/next-step.js";
export { defaultPlatform } from "./platform/default-platform.js";
export { createMemoryStorage } from "./platform/memory-storage.js";
export { createWebStorage } from "./platform/storage/web-storage.js";
export { createCookieStorage } from "./platform/storage/cookie-storage.js";
export type { CookieDocumentLike, CookieStorageOptions } from "./platform/storage/cookie-storage.js";
export { createAsyncStorage } from "./platform/storage/async-storage.js";
export type { AsyncStorageLike } from "./platform/storage/async-storage.js";
export { createSafeStorage } from "./platform/storage/safe-storage.js";
export type { SafeStorage, SafeStorageOptions, StorageWarning } from "./platform/storage/safe-storage.js";
export type { BroadcastLike, Clock, KeyValueStorage, LockManager, ModPow, Platform, TimerHandle, TimerOptions, WebAuthnLike } from "./platform/types.js";
export { createFetchTransport } from "./transport/fetch-transport.js";
export type { FetchTransportOptions } from "./transport/fetch-transport.js";
export { serviceErrorCode } from "./transport/error-map.js";
export type {
  CognitoTransport,
  IdentityPoolInput,
  IdentityPoolOperation,
  IdentityPoolOperations,
  IdentityPoolOutput,
  TransportCallOptions,
  TransportEndpoints,
  UserPoolInput,
  UserPoolOperation,
  UserPoolOperations,
  UserPoolOutput,
} from "./transport/types.js";
export {
  claimSignature,
  computeA,
  computeS,
  computeU,
  computeX,
  deriveKey,
  padHex,
  passwordAuthenticationKey,
  smallA,
  srpGroup,
  srpTimestamp,
} from "./srp/srp.js";
export type { SrpGroup } from "./srp/srp.js";
export { modPow } from "./srp/mod-pow.js";
export { createDiffieHellmanModPow } from "./srp/diffie-hellman-mod-pow.js";
export type { CreateDiffieHellman, DiffieHellmanContext } from "./srp/diffie-hellman-mod-pow.js";
export { secretHash } from "./user-pool/secret-hash.js";
