// What the emulator-backed journey tests share: the two transports every journey runs
// over, and a way to catch the AuthError a call must fail with.
import { type AuthClient, type AuthConfig, isAuthError } from "@cogkit/core";
import { createAwsSdkTransport } from "@cogkit/core/aws-sdk";

/** Each journey runs once per transport; `make` gives the transport (undefined: the default fetch one). */
export const transports = [
  { name: "fetch", make: (_: AuthConfig) => undefined },
  { name: "aws-sdk", make: (config: AuthConfig) => createAwsSdkTransport(config) },
];

/** The AuthError `promise` rejects with; throws when it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAuthError(error)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

/** Signs `email` up through `client` and confirms it with the code the emulator sent; returns `email`. */
export async function confirmedUser(
  client: AuthClient,
  emulator: { outbox: { latest(login: string): { code: string } | undefined } },
  email: string,
  password: string,
): Promise<string> {
  await client.signUp({ username: email, password });
  await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
  return email;
}
