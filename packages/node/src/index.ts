export { verifyToken } from "./verify-token.js";
export type {
  CognitoAccessTokenClaims,
  CognitoIdTokenClaims,
  CognitoTokenClaims,
  TokenUse,
  VerifyTokenOptions,
} from "./verify-token.js";
