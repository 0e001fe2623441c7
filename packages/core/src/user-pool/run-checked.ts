import type { AuthClient } from "../client.js";
import { clientContexts } from "../client-contexts.js";
import type { ClientContext } from "../client-context.js";
import { checkObject, checkOptional } from "./check-input.js";

/**
 * Runs a standalone function of a client: `start` checks the input at once and returns the
 * request's promise. Misuse (a TypeError: not a client, a wrong type) is thrown at once;
 * a value Cognito would refuse (an `AuthError`) comes as a rejection, like Cognito's own.
 */
export function runChecked<T>(client: AuthClient<any>, operation: string, start: (context: ClientContext<any>) => Promise<T>): Promise<T> {
  const context = clientContexts.get(client);
  if (!context) throw new TypeError(`${operation}: expected a client made by createAuthClient`);
  try {
    return start(context);
  } catch (error) {
    if (error instanceof TypeError) throw error;
    return Promise.reject(error);
  }
}

/**
 * Runs a standalone call of the signed-in user's: `options` (an object, with an optional
 * `signal`) checked at once as {@link runChecked} does, then `call` with the session's access
 * token, renewed first if due. `ERR_NOT_SIGNED_IN` when nobody is signed in.
 */
export function runSignedIn<T>(
  client: AuthClient<any>,
  operation: string,
  options: object,
  call: (context: ClientContext<any>, accessToken: string) => Promise<T>,
): Promise<T> {
  return runChecked(client, operation, (context) => {
    checkObject(options, operation);
    checkOptional(options, operation);
    return context.session.getTokens().then(({ accessToken }) => call(context, accessToken));
  });
}
