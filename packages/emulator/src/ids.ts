import { randomBytes, randomInt, randomUUID } from "node:crypto";

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
const pick = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");

/** A user pool id in Cognito's form, `us-east-1_AbC123xyz`. */
export const createUserPoolId = (region: string): string => `${region}_${pick(alnum, 9)}`;
/** A 26-character lowercase alphanumeric app client id. */
export const createClientId = (): string => pick(lowerAlnum, 26);
/** An app client secret (51 lowercase alphanumerics, as Cognito makes them). */
export const createClientSecret = (): string => pick(lowerAlnum, 51);
/** A six-digit code. */
export const createCode = (): string => String(randomInt(1_000_000)).padStart(6, "0");
/** An opaque, URL-safe random string (refresh tokens, sessions). */
export const createOpaqueToken = (bytes: number): string => randomBytes(bytes).toString("base64url");
/** A UUID v4 (subs, jtis, event ids). */
export const createUuid = (): string => randomUUID();
/** A device key in Cognito's form, `<region>_<uuid>`. */
export const createDeviceKey = (region: string): string => `${region}_${randomUUID()}`;
/** A device group key: one per user, hashed into every device proof as the "pool name". */
export const createDeviceGroupKey = (): string => `-${pick(alnum, 9)}`;
