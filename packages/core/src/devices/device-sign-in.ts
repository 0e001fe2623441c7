import type { AuthenticationResultType, RespondToAuthChallengeResponse } from "@aws-sdk/client-cognito-identity-provider";
import { type ClientContext, secretHashParameter } from "../client-context.js";
import { fromHex, toBase64, toHex } from "../encoding.js";
import { AuthError, isAuthError } from "../errors.js";
import { readJwtClaims } from "../jwt.js";
import type { SafeStorage } from "../platform/storage/safe-storage.js";
import { claimSignature, computeA, computeX, padHex, passwordAuthenticationKey, smallA, srpTimestamp } from "../srp/srp.js";
import type { CognitoTransport, TransportCallOptions } from "../transport/types.js";
import { deviceRecordKey, readDevice, writeDevice } from "./device-record.js";

/** What the device steps of a sign-in work with: the client, the transport under the device layer, the storage. */
export interface DeviceSteps {
  context: ClientContext<any>;
  inner: CognitoTransport;
  storage: SafeStorage;
}

const hex = /^[0-9a-fA-F]+$/;

/** The storage key of `username`'s device in this app client. */
export const deviceKeyOf = (steps: DeviceSteps, username: string) => deviceRecordKey(steps.context.config.userPoolClientId, username);

/**
 * Cognito's answer to a device it does not know ("Device does not exist.": a ResourceNotFound,
 * and some paths say NotAuthorized), told from a ResourceNotFound about the app client.
 */
export const unknownDevice = (error: unknown): boolean =>
  (isAuthError(error, "ERR_RESOURCE_NOT_FOUND") || isAuthError(error, "ERR_NOT_AUTHORIZED")) && /device/i.test(error.message);

/**
 * Runs a step of a sign-in (`call`) with the key of the device kept for `username`, where one
 * is kept. When the pool no longer knows that device (forgotten on another device or by an
 * admin), its record is dropped and the step runs once more without a key: the sign-in goes
 * on as a new device's, as the AWS SDKs do.
 */
export async function withDevice<T>(steps: DeviceSteps, username: string, call: (deviceKey?: string) => Promise<T>): Promise<T> {
  const key = deviceKeyOf(steps, username);
  const device = await readDevice(steps.storage, key);
  if (!device) return call();
  try {
    return await call(device.deviceKey);
  } catch (error) {
    if (!unknownDevice(error)) throw error;
  }
  await steps.storage.removeItem(key);
  return call();
}

/**
 * Confirms the device a sign-in's `NewDeviceMetadata` names (ConfirmDevice with the SRP
 * verifier of a new random device secret, as the AWS SDKs make it) and keeps its record for
 * the user. Best effort: when it fails the sign-in still succeeds and no device is kept, so
 * the next sign-in is a new device's. (Cognito binds the refresh token to the device it
 * offered: unconfirmed, its refreshes may be refused, and the user signs in again.)
 */
export async function keepNewDevice(steps: DeviceSteps, result: AuthenticationResultType, options: TransportCallOptions | undefined): Promise<void> {
  const { platform } = steps.context;
  const { DeviceKey: deviceKey, DeviceGroupKey: groupKey } = result.NewDeviceMetadata ?? {};
  const username = readJwtClaims(result.AccessToken ?? "")?.username;
  if (!deviceKey || !groupKey || typeof username != "string") return;
  try {
    // The device's password: 40 random bytes, as the AWS SDKs make it.
    const secret = toBase64(platform.randomBytes(40));
    const salt = BigInt(`0x${toHex(platform.randomBytes(16))}`);
    const x = await computeX({ subtle: platform.subtle, salt, poolName: groupKey, userId: deviceKey, password: secret });
    // The verifier g^x mod N is what computeA makes of x.
    const verifier = await computeA({ a: x, modPow: platform.modPow });
    const base64 = (value: bigint) => toBase64(fromHex(padHex(value)));
    await steps.inner.userPool(
      "ConfirmDevice",
      {
        AccessToken: result.AccessToken,
        DeviceKey: deviceKey,
        // What the runtime calls itself (a browser's user agent), so a list of devices tells them apart.
        DeviceName: (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent?.slice(0, 1024) || undefined,
        DeviceSecretVerifierConfig: { PasswordVerifier: base64(verifier), Salt: base64(salt) },
      },
      options,
    );
    await writeDevice(steps.storage, deviceKeyOf(steps, username), { deviceKey, groupKey, secret });
  } catch {
    // Not kept: Cognito offers a new device at the next sign-in.
  }
}

/**
 * Answers DEVICE_SRP_AUTH with the device kept for `username` (the user the challenge names):
 * device SRP is user SRP with the group key for the pool name, the device key for the user id
 * and the device secret for the password. Returns Cognito's answer to the
 * DEVICE_PASSWORD_VERIFIER proof (tokens, normally). A device that cannot prove itself (its
 * record gone, or refused by Cognito) is dropped, so the next sign-in goes on as a new
 * device's, and the error is thrown.
 */
export async function answerDeviceChallenge(
  steps: DeviceSteps,
  output: RespondToAuthChallengeResponse,
  username: string,
  options: TransportCallOptions | undefined,
): Promise<RespondToAuthChallengeResponse> {
  const { context, inner, storage } = steps;
  const { config, platform } = context;
  const key = deviceKeyOf(steps, username);
  const device = await readDevice(storage, key);
  if (!device) throw new AuthError("ERR_UNEXPECTED_CHALLENGE", "signIn cannot answer DEVICE_SRP_AUTH: no device is kept for the user", { serviceCode: "DEVICE_SRP_AUTH" });
  const { deviceKey, groupKey, secret } = device;
  const respond = async (ChallengeName: "DEVICE_SRP_AUTH" | "DEVICE_PASSWORD_VERIFIER", Session: string | undefined, responses: Record<string, string>) =>
    inner.userPool(
      "RespondToAuthChallenge",
      {
        ClientId: config.userPoolClientId,
        ChallengeName,
        Session,
        ChallengeResponses: { USERNAME: username, DEVICE_KEY: deviceKey, ...responses, ...(await secretHashParameter(context, username)) },
      },
      options,
    );
  try {
    const a = smallA(platform.randomBytes(128));
    const A = await computeA({ a, modPow: platform.modPow });
    const challenge = await respond("DEVICE_SRP_AUTH", output.Session, { SRP_A: A.toString(16) });
    const { SALT, SRP_B, SECRET_BLOCK } = challenge.ChallengeParameters ?? {};
    if (challenge.ChallengeName !== "DEVICE_PASSWORD_VERIFIER" || !SECRET_BLOCK || !hex.test(SALT!) || !hex.test(SRP_B!)) {
      throw new AuthError("ERR_BAD_RESPONSE", "Incomplete DEVICE_PASSWORD_VERIFIER challenge");
    }
    const timestamp = srpTimestamp(platform.clock.now());
    const signature = await passwordAuthenticationKey({
      subtle: platform.subtle,
      a,
      A,
      B: BigInt(`0x${SRP_B}`),
      salt: BigInt(`0x${SALT}`),
      poolName: groupKey,
      userId: deviceKey,
      password: secret,
      modPow: platform.modPow,
    })
      .then((proofKey) => claimSignature({ subtle: platform.subtle, key: proofKey, poolName: groupKey, userId: deviceKey, secretBlock: SECRET_BLOCK, timestamp }))
      .catch(() => {
        throw new AuthError("ERR_BAD_RESPONSE", "Bad DEVICE_PASSWORD_VERIFIER challenge");
      });
    return await respond("DEVICE_PASSWORD_VERIFIER", challenge.Session, {
      PASSWORD_CLAIM_SECRET_BLOCK: SECRET_BLOCK,
      TIMESTAMP: timestamp,
      PASSWORD_CLAIM_SIGNATURE: signature,
    });
  } catch (error) {
    // A device Cognito refuses (forgotten meanwhile, or a secret it does not match) would
    // fail every sign-in from now on: let the next one be a new device's.
    if (isAuthError(error, "ERR_NOT_AUTHORIZED") || isAuthError(error, "ERR_RESOURCE_NOT_FOUND")) await storage.removeItem(key);
    throw error;
  }
}
