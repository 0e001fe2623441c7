import { AuthError, type AuthErrorCode } from "../errors.js";

/**
 * How Cognito's error `__type`s become {@link AuthErrorCode}s. A trailing `*` marks the
 * retryable ones: the same call may succeed later.
 *
 * | `__type` | code |
 * | --- | --- |
 * | NotAuthorizedException | ERR_NOT_AUTHORIZED |
 * | UserNotFoundException | ERR_USER_NOT_FOUND |
 * | UserNotConfirmedException | ERR_USER_NOT_CONFIRMED (a `confirmSignUp` next step on sign-in) |
 * | UsernameExistsException | ERR_USERNAME_EXISTS |
 * | AliasExistsException | ERR_ALIAS_EXISTS |
 * | InvalidPasswordException | ERR_INVALID_PASSWORD |
 * | PasswordResetRequiredException | ERR_PASSWORD_RESET_REQUIRED |
 * | PasswordHistoryPolicyViolationException | ERR_INVALID_PASSWORD |
 * | CodeMismatchException, EnableSoftwareTokenMFAException | ERR_CODE_MISMATCH |
 * | ExpiredCodeException | ERR_CODE_EXPIRED |
 * | CodeDeliveryFailureException, InvalidSmsRole*, InvalidEmailRoleAccessPolicyException | ERR_CODE_DELIVERY_FAILED |
 * | TooManyFailedAttemptsException | ERR_TOO_MANY_ATTEMPTS |
 * | LimitExceededException | ERR_LIMIT_EXCEEDED * |
 * | TooManyRequestsException, ThrottlingException | ERR_THROTTLED * |
 * | InvalidParameterException, InvalidParameterCombinationException | ERR_INVALID_PARAMETER |
 * | ResourceNotFoundException | ERR_RESOURCE_NOT_FOUND |
 * | UnsupportedOperationException, UnknownOperationException, Unsupported | ERR_UNSUPPORTED_OPERATION |
 * | TokenRevokedException | ERR_TOKEN_REVOKED |
 * | RefreshTokenReuseException | ERR_REFRESH_TOKEN_REUSED |
 * | UserLambdaValidationException, UnexpectedLambdaException, InvalidLambdaResponseException | ERR_TRIGGER_FAILED |
 * | InternalErrorException, InternalServerException, ServiceUnavailable, ExternalServiceException | ERR_SERVICE * |
 * | anything else | ERR_UNSUPPORTED_OPERATION when the status is 501, ERR_SERVICE * when it is another 5xx, ERR_UNKNOWN otherwise |
 *
 * `ERR_UNSUPPORTED_OPERATION` means "this server does not do that": retrying cannot help,
 * and callers with another way (the refresh's `REFRESH_TOKEN_AUTH`) take it. Emulators say
 * it in their own namespace — cognito-local answers 500 `CognitoLocal#Unsupported` — so
 * `Unsupported` counts in any namespace.
 */
// The table above, packed: space-separated groups of types that share a code, the types
// of a group joined by commas. ":Code" names the group's code, written like a type;
// without it the code is the group's first type. Either becomes ERR_ plus its words in
// snake case (NotAuthorized → ERR_NOT_AUTHORIZED, ":CodeExpired" → ERR_CODE_EXPIRED):
// CamelCase codes share their words with the types, which gzip then stores once. Types
// lose their "Exception" suffix before the lookup. Packed because it ships in every
// browser bundle.
const packed =
  "NotAuthorized UserNotFound UserNotConfirmed UsernameExists AliasExists InvalidPassword,PasswordHistoryPolicyViolation " +
  "PasswordResetRequired CodeMismatch,EnableSoftwareTokenMFA LimitExceeded InvalidParameter,InvalidParameterCombination " +
  "ResourceNotFound UnsupportedOperation,UnknownOperation,Unsupported TokenRevoked ExpiredCode:CodeExpired " +
  "CodeDeliveryFailure,InvalidSmsRoleAccessPolicy,InvalidSmsRoleTrustRelationship,InvalidEmailRoleAccessPolicy:CodeDeliveryFailed " +
  "TooManyFailedAttempts:TooManyAttempts TooManyRequests,Throttling:Throttled RefreshTokenReuse:RefreshTokenReused " +
  "UserLambdaValidation,UnexpectedLambda,InvalidLambdaResponse:TriggerFailed " +
  "InternalError,InternalServer,ServiceUnavailable,ExternalService:Service";

/**
 * The {@link AuthErrorCode} of a Cognito error `__type` (namespace already stripped), or
 * `undefined` when it is not in the table.
 *
 * @example
 * serviceErrorCode("CodeMismatchException") // "ERR_CODE_MISMATCH"
 */
export function serviceErrorCode(type: string): AuthErrorCode | undefined {
  const name = type.replace(/Exception$/, "");
  // Read on each call, no Map kept: it runs only when the service has refused something.
  for (const group of packed.split(" ")) {
    const [types, code] = group.split(":") as [string, string?];
    const names = types.split(",");
    if (names.includes(name)) return `ERR_${(code ?? names[0]!).replace(/\B(?=[A-Z])/g, "_").toUpperCase()}` as AuthErrorCode;
  }
  return undefined;
}

const retryableCodes = /^ERR_(LIMIT_EXCEEDED|THROTTLED|SERVICE)$/;

/**
 * The `AuthError` for a service error answer. `type` may carry a namespace
 * (`com.amazonaws...#NotAuthorizedException`) or a header suffix (`X:http://...`).
 * `secrets` are cut out of the service's message, in case a server ever echoes input.
 *
 * @example
 * throw serviceError({ type: "NotAuthorizedException", message: "Incorrect username or password.", status: 400 });
 */
export function serviceError(options: {
  type: string | undefined;
  message: string | undefined;
  status?: number;
  secrets?: readonly string[];
  cause?: unknown;
}): AuthError {
  const serviceCode = options.type?.split("#").pop()?.split(":")[0] || undefined;
  const status = options.status;
  const code: AuthErrorCode =
    (serviceCode && serviceErrorCode(serviceCode)) ||
    (status == 501 ? "ERR_UNSUPPORTED_OPERATION" : (status ?? 0) >= 500 ? "ERR_SERVICE" : "ERR_UNKNOWN");
  const message = redact(options.message || serviceCode || `Status ${status}`, options.secrets);
  return new AuthError(code, message, { serviceCode, status, retryable: retryableCodes.test(code), cause: options.cause });
}

/** Replaces every occurrence of a secret (of 4+ characters) in `text`. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out;
}

const secretKeys = /password|secret|token|session|code|signature|logins|answer/i;

/**
 * The string values of an input that must never reach an error message: passwords,
 * secret hashes, tokens, sessions, codes, logins (keys matched by name, at any depth).
 */
export function secretsOf(input: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown, sensitive: boolean): void => {
    if (typeof value === "string") {
      if (sensitive) found.push(value);
    } else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) visit(inner, sensitive || secretKeys.test(key));
    }
  };
  visit(input, false);
  return found;
}
