export { verifyToken } from "./verify-token.js";
export type {
  CognitoAccessTokenClaims,
  CognitoIdTokenClaims,
  CognitoTokenClaims,
  TokenUse,
  VerifyTokenOptions,
} from "./verify-token.js";
export { nativeModPow } from "./platform/native-mod-pow.js";
export { createNodePlatform } from "./platform/node-platform.js";
export type { NodePlatformOptions } from "./platform/node-platform.js";
export { createFileStorage } from "./storage/file-storage.js";
export type { FileStorage, FileStorageOptions } from "./storage/file-storage.js";
export { acquireFileLock, createFileLock } from "./storage/file-lock.js";
export type { CreateFileLockOptions, FileLockOptions, ReleaseFileLock } from "./storage/file-lock.js";
export { cogkitConfigDir } from "./storage/config-dir.js";
export { getCredentials } from "./credentials/get-credentials.js";
export type { NodeCredentialsOptions } from "./credentials/get-credentials.js";
export { cognitoCredentials } from "./credentials/cognito-credentials.js";
export type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "./credentials/cognito-credentials.js";
export type { CognitoAwsCredentials } from "./credentials/credentials-cache.js";
export { resolveSettings } from "./credentials/resolve-settings.js";
export type { ResolvedSettings, SettingsSources } from "./credentials/resolve-settings.js";
export { getAccessToken } from "./access-token/get-access-token.js";
export type { AccessTokenOptions } from "./access-token/get-access-token.js";
export type { MachineAccessToken } from "./access-token/access-token-cache.js";
