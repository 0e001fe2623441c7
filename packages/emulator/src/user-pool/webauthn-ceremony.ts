import { randomBytes } from "node:crypto";
import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";

/**
 * The WebAuthn verifier, loaded on first use so that starting the emulator (and its msw
 * entry) stays light.
 */
export const loadWebAuthnServer = () => import("@simplewebauthn/server");

/** A fresh WebAuthn challenge: 16 random bytes, base64url, as Cognito's. */
export const createWebAuthnChallenge = (): string => randomBytes(16).toString("base64url");

const localOrigin = /^https?:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/;

/** Whether a page origin may take part in passkey ceremonies: the configured ones, or any local one. */
export function isAllowedWebAuthnOrigin(state: EmulatorState, origin: string): boolean {
  const allowed = state.pool.webAuthn.origins;
  return allowed === undefined ? localOrigin.test(origin) : allowed.includes(origin);
}

/** Why a WebAuthn response was refused, from the verifier's error. */
export type WebAuthnRefusal = "origin" | "relyingParty" | "challenge" | "userVerification" | "algorithm" | "counter" | "malformed";

/** Sorts the verifier's error (@simplewebauthn/server 13 words them so) into a refusal. */
export function refusalOf(error: unknown): WebAuthnRefusal {
  const message = error instanceof Error ? error.message : "";
  if (/origin/i.test(message)) return "origin";
  if (/RP ID/.test(message)) return "relyingParty";
  if (/challenge/i.test(message)) return "challenge";
  if (/user verification/i.test(message)) return "userVerification";
  if (/alg/i.test(message)) return "algorithm";
  if (/counter/i.test(message)) return "counter";
  return "malformed";
}

/**
 * Reads the page origin a WebAuthn response was made on and refuses it when not allowed,
 * before any maths: the verifier is then given that one origin to expect.
 */
export function allowedOriginOf(state: EmulatorState, response: unknown, refuse: (reason: WebAuthnRefusal) => CognitoError): string {
  const clientData = (response as { response?: { clientDataJSON?: unknown } } | null)?.response?.clientDataJSON;
  if (typeof clientData !== "string") throw refuse("malformed");
  let origin: unknown;
  try {
    origin = (JSON.parse(Buffer.from(clientData, "base64url").toString("utf8")) as { origin?: unknown }).origin;
  } catch {
    throw refuse("malformed");
  }
  if (typeof origin !== "string" || !isAllowedWebAuthnOrigin(state, origin)) throw refuse("origin");
  return origin;
}

/** Parses a JSON-string challenge answer (the CREDENTIAL of WEB_AUTHN) into an object. */
export function parseCredentialAnswer(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw invalidParameter("CREDENTIAL must be the JSON of a PublicKeyCredential (AuthenticationResponseJSON)");
}

/** The WebAuthn user handle of a user: their `sub`, base64url, as Cognito's `user.id`. */
export const userHandleOf = (sub: string): string => Buffer.from(sub, "utf8").toString("base64url");
