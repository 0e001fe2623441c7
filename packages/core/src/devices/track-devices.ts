import type { InitiateAuthRequest, InitiateAuthResponse, RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { AuthClient } from "../client.js";
import { clientContexts } from "../client-contexts.js";
import { readJwtClaims } from "../jwt.js";
import { createSafeStorage } from "../platform/storage/safe-storage.js";
import type { CognitoTransport, TransportCallOptions, UserPoolInput, UserPoolOperation, UserPoolOutput } from "../transport/types.js";
import { readAlias } from "./device-record.js";
import { answerDeviceChallenge, deviceKeyOf, type DeviceSteps, keepNewDevice, withDevice } from "./device-sign-in.js";

const tracked = new WeakSet<object>();

/**
 * Makes a client handle the devices of a user pool that tracks them (Cognito's "remember
 * user devices": Always or User opt-in), by itself:
 * - a sign-in that brings `NewDeviceMetadata` confirms the device (ConfirmDevice with the SRP
 *   verifier of a random device secret) and keeps its key, group key and secret for the user,
 *   in the client's storage, in a record of its own that a sign-out leaves (see `deviceRecordKey`);
 * - later sign-ins (SRP, the password flow, choice-based PASSWORD_SRP) name that device and
 *   answer DEVICE_SRP_AUTH, so a remembered device skips MFA where the pool says so;
 * - refreshes name the device the tokens are bound to (`DeviceKey`, `DEVICE_KEY`), which such a
 *   pool requires;
 * - a device the pool no longer knows ("Device does not exist.") is dropped and the step
 *   retried once without it, signing in as a new device.
 *
 * On such a pool, call it: Cognito refuses to refresh tokens issued on a device that was never
 * confirmed, so without it the session ends at its first refresh (an hour by default).
 * Call it once, right after `createAuthClient`, on every page that signs in or refreshes. It is
 * a function of its own, not built in, so that apps whose pools do not track devices do not
 * download it (the sign-in page stays as small as it is). Calling it again does nothing.
 * `rememberDevice`, `forgetDevice` and `listDevices` work with or without it.
 *
 * @example
 * const client = createAuthClient(config);
 * trackDevices(client);
 * await client.signIn({ username, password }); // no MFA on a device the user remembered
 */
export function trackDevices(client: AuthClient<any>): void {
  const context = clientContexts.get(client);
  if (!context) throw new TypeError("trackDevices: expected a client made by createAuthClient");
  if (tracked.has(context)) return;
  tracked.add(context);
  const inner = context.transport;
  const steps: DeviceSteps = { context, inner, storage: createSafeStorage(context.platform.storage) };
  context.transport = {
    identityPool: (operation, input, options) => inner.identityPool(operation, input, options),
    userPool: (operation, input, options) => sendTracked(steps, operation, input, options),
  } as CognitoTransport;
}

/** The access token's `device_key`: the device the session's tokens are bound to. */
function sessionDeviceKey(steps: DeviceSteps): string | undefined {
  const state = steps.context.session.getState();
  const key = "tokens" in state ? readJwtClaims(state.tokens.accessToken)?.device_key : undefined;
  return typeof key == "string" ? key : undefined;
}

/** One user pool call through the device layer: the request named, the answer settled. */
async function sendTracked<Op extends UserPoolOperation>(
  steps: DeviceSteps,
  operation: Op,
  input: UserPoolInput<Op>,
  options?: TransportCallOptions,
): Promise<UserPoolOutput<Op>> {
  const send = (request: unknown) => steps.inner.userPool(operation, request as UserPoolInput<Op>, options);
  const auth = input as InitiateAuthRequest;
  const answer = input as RespondToAuthChallengeRequest;
  let output: UserPoolOutput<Op>;
  let username: string | undefined;
  if (operation === "RespondToAuthChallenge" && answer.ChallengeName === "PASSWORD_VERIFIER" && answer.ChallengeResponses?.DEVICE_KEY === undefined) {
    // Cognito's own name of the user, as the PASSWORD_VERIFIER answer gives it.
    const responses = answer.ChallengeResponses!;
    username = responses.USERNAME;
    output = await withDevice(steps, String(username), (DEVICE_KEY) => send({ ...answer, ChallengeResponses: DEVICE_KEY ? { ...responses, DEVICE_KEY } : responses }));
  } else if (operation === "InitiateAuth" && auth.AuthFlow === "USER_PASSWORD_AUTH" && auth.AuthParameters?.DEVICE_KEY === undefined) {
    // The name signed in with, or Cognito's own name of the user where it is an alias.
    const parameters = auth.AuthParameters!;
    const login = String(parameters.USERNAME);
    const aliasKey = deviceKeyOf(steps, login);
    const alias = await readAlias(steps.storage, aliasKey);
    username = alias ?? login;
    output = await withDevice(steps, username, (DEVICE_KEY) => send({ ...auth, AuthParameters: DEVICE_KEY ? { ...parameters, DEVICE_KEY } : parameters }));
    const reply = output as InitiateAuthResponse;
    const named = reply.ChallengeParameters?.USER_ID_FOR_SRP ?? readJwtClaims(reply.AuthenticationResult?.AccessToken ?? "")?.username;
    if (typeof named == "string" && named !== login && named !== alias) await steps.storage.setItem(aliasKey, JSON.stringify({ v: 1, alias: named }));
  } else if (operation === "GetTokensFromRefreshToken") {
    output = await send({ ...input, DeviceKey: (input as { DeviceKey?: string }).DeviceKey ?? sessionDeviceKey(steps) });
  } else if (operation === "InitiateAuth" && /^REFRESH_TOKEN/.test(String(auth.AuthFlow))) {
    const DEVICE_KEY = auth.AuthParameters?.DEVICE_KEY ?? sessionDeviceKey(steps);
    output = await send({ ...auth, AuthParameters: DEVICE_KEY ? { ...auth.AuthParameters, DEVICE_KEY } : auth.AuthParameters });
  } else {
    output = await send(input);
  }
  if (operation !== "InitiateAuth" && operation !== "RespondToAuthChallenge") return output;
  let settled = output as RespondToAuthChallengeResponse;
  if (settled.ChallengeName === "DEVICE_SRP_AUTH") {
    const parameters = settled.ChallengeParameters ?? {};
    const user = parameters.USER_ID_FOR_SRP ?? parameters.USERNAME ?? answer.ChallengeResponses?.USERNAME ?? username ?? auth.AuthParameters?.USERNAME;
    settled = await answerDeviceChallenge(steps, settled, String(user), options);
  }
  if (settled.AuthenticationResult?.NewDeviceMetadata) await keepNewDevice(steps, settled.AuthenticationResult, options);
  return settled as UserPoolOutput<Op>;
}
