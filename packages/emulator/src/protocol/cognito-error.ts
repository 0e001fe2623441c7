/**
 * A failure answered the way Cognito answers it: an HTTP status, the service's `__type`
 * and its message. Operations throw it; the handler turns it into the JSON error body.
 *
 * @example
 * throw new CognitoError("NotAuthorizedException", "Incorrect username or password.");
 */
export class CognitoError extends Error {
  /** Cognito's error `__type`, e.g. `UserNotFoundException`. */
  readonly type: string;
  /** HTTP status: 400 for the caller's errors, 500 for the service's own. */
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = "CognitoError";
    this.type = type;
    this.status = status;
  }
}

/** `NotAuthorizedException` with Cognito's wording for a failed sign-in. */
export const incorrectCredentials = (): CognitoError =>
  new CognitoError("NotAuthorizedException", "Incorrect username or password.");

/** `InvalidParameterException` with a given message. */
export const invalidParameter = (message: string): CognitoError => new CognitoError("InvalidParameterException", message);
