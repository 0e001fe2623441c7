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
