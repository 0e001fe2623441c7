import { CognitoError } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import { authSessionLifetimeMs } from "./auth-session-store.js";
import { challenge, type ChallengeData } from "./complete-sign-in.js";
import type { UserRecord } from "./user-store.js";
import { allowedOriginOf, createWebAuthnChallenge, loadWebAuthnServer, parseCredentialAnswer, refusalOf, userHandleOf, type WebAuthnRefusal } from "./webauthn-ceremony.js";

/** A WEB_AUTHN challenge session: the one-time challenge its CREDENTIAL must sign. */
export interface PasskeyChallengeData extends ChallengeData {
  webAuthnChallenge: string;
}

/**
 * Opens the WEB_AUTHN challenge: `CREDENTIAL_REQUEST_OPTIONS` is the JSON of the request
 * options for `navigator.credentials.get`, allowing the user's passkeys only.
 */
export function passkeyChallenge(state: EmulatorState, user: UserRecord, carry: ChallengeData) {
  const webAuthnChallenge = createWebAuthnChallenge();
  const { relyingPartyId, userVerification } = state.pool.webAuthn;
  const options = {
    hints: [],
    attestation: "none",
    attestationFormats: [],
    challenge: webAuthnChallenge,
    timeout: authSessionLifetimeMs,
    rpId: relyingPartyId,
    allowCredentials: (user.passkeys ?? []).map((p) => ({ id: p.credentialId, type: "public-key" })),
    userVerification,
  };
  const data: PasskeyChallengeData = { ...carry, webAuthnChallenge };
  return challenge(state, user, "WEB_AUTHN", { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) }, data);
}

const why: Record<WebAuthnRefusal | "unknownCredential" | "userHandle", string> = {
  origin: "the page origin is not allowed",
  relyingParty: "it is for another relying party",
  challenge: "it does not answer this session's challenge",
  userVerification: "the authenticator did not verify the user",
  algorithm: "its key algorithm is not supported",
  counter: "its signature counter did not increase (a cloned authenticator?)",
  malformed: "it is not a valid assertion",
  unknownCredential: "the passkey is not registered to this user",
  userHandle: "its user handle is another user's",
};

const refused = (reason: keyof typeof why) => new CognitoError("NotAuthorizedException", `Passkey sign-in refused: ${why[reason]}.`);

/**
 * Checks a WEB_AUTHN answer: a passkey of this user, signed on an allowed origin for the
 * pool's relying party, over this session's challenge, with user verification where the
 * pool requires it, and a signature counter that went up (when the authenticator keeps one).
 * A good answer stores the new counter.
 */
export async function checkPasskeyAnswer(state: EmulatorState, user: UserRecord, credentialJson: string, data: PasskeyChallengeData): Promise<void> {
  const response = parseCredentialAnswer(credentialJson);
  const passkey = (user.passkeys ?? []).find((p) => p.credentialId === response.id);
  if (!passkey) throw refused("unknownCredential");
  const userHandle = (response.response as { userHandle?: unknown } | undefined)?.userHandle;
  if (typeof userHandle === "string" && userHandle !== "" && userHandle !== userHandleOf(user.sub)) throw refused("userHandle");
  const origin = allowedOriginOf(state, response, refused);
  const { verifyAuthenticationResponse } = await loadWebAuthnServer();
  const { relyingPartyId, userVerification } = state.pool.webAuthn;
  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response: response as unknown as Parameters<typeof verifyAuthenticationResponse>[0]["response"],
      expectedChallenge: data.webAuthnChallenge,
      expectedOrigin: origin,
      expectedRPID: relyingPartyId,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")),
        counter: passkey.counter,
        transports: passkey.transports as never,
      },
      requireUserVerification: userVerification === "required",
    });
  } catch (error) {
    throw refused(refusalOf(error));
  }
  if (!verification.verified) throw refused("malformed");
  passkey.counter = verification.authenticationInfo.newCounter;
}
