import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";

/**
 * How one answer of the software authenticator departs from an honest one, so tests can
 * check that the emulator refuses it.
 *
 * @example
 * await emulator.passkeys.get(options, { origin: "https://evil.example" });
 */
export interface AuthenticatorTamper {
  /** The page origin written into clientDataJSON. Default the authenticator's origin. */
  origin?: string;
  /** The relying party id whose hash goes into the authenticator data. Default the options' `rpId` / `rp.id`. */
  rpId?: string;
  /** The challenge signed, instead of the options' (e.g. an old, used one). */
  challenge?: string;
  /** Whether the user-verified (UV) flag is set. Default the authenticator's `userVerified`. */
  userVerified?: boolean;
  /** Sign-in only: the signature counter to report (and keep). Default the last one plus 1. */
  signCount?: number;
  /** Sign-in only: the passkey to sign with (any of this authenticator's), e.g. another user's. */
  credentialId?: string;
}

/**
 * A passkey the software authenticator holds.
 *
 * @example
 * const [{ credentialId, signCount }] = emulator.passkeys.passkeys();
 */
export interface SoftwarePasskey {
  credentialId: string;
  rpId: string;
  /** The `user.id` of the creation options (base64url): Cognito's is the user's `sub`. */
  userHandle: string;
  /** The signature counter last reported. */
  signCount: number;
}

/**
 * Options of `createSoftwareAuthenticator`.
 *
 * @example
 * const securityKey = createSoftwareAuthenticator({ origin: "http://localhost:5173", userVerified: false, algorithm: "RS256" });
 */
export interface SoftwareAuthenticatorOptions {
  /** The origin of the "page" that calls it. Default `http://localhost`. */
  origin?: string;
  /** Whether it verifies the user (sets UV). Default true. */
  userVerified?: boolean;
  /** The key type of the passkeys it makes: `ES256` (P-256, the default) or `RS256` (RSA 2048). */
  algorithm?: "ES256" | "RS256";
}

/**
 * A WebAuthn authenticator in software, for Node tests: it answers what
 * `navigator.credentials.create` and `.get` would, with ES256 (or RS256) keys and attestation `none`.
 *
 * @example
 * const { CredentialCreationOptions } = await sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken }));
 * await sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: await passkeys.create(CredentialCreationOptions) }));
 */
export interface SoftwareAuthenticator {
  /** The origin its answers claim by default. */
  readonly origin: string;
  /**
   * Makes a passkey for creation options (StartWebAuthnRegistration's `CredentialCreationOptions`,
   * as an object or `{ publicKey }`) and answers with the RegistrationResponseJSON that
   * CompleteWebAuthnRegistration takes as `Credential`. A DOMException `InvalidStateError`
   * when it already holds one of `excludeCredentials`.
   */
  create(options: PublicKeyCredentialCreationOptionsJSON | { publicKey: PublicKeyCredentialCreationOptionsJSON }, tamper?: AuthenticatorTamper): Promise<RegistrationResponseJSON>;
  /**
   * Signs request options (WEB_AUTHN's `CREDENTIAL_REQUEST_OPTIONS`, the JSON string or the
   * object) with a passkey it holds for the relying party (one of `allowCredentials` when
   * given), answering the AuthenticationResponseJSON whose JSON is the `CREDENTIAL`. A
   * DOMException `NotAllowedError` when it holds none.
   */
  get(options: string | PublicKeyCredentialRequestOptionsJSON | { publicKey: PublicKeyCredentialRequestOptionsJSON }, tamper?: AuthenticatorTamper): Promise<AuthenticationResponseJSON>;
  /** The passkeys it holds, oldest first. */
  passkeys(): SoftwarePasskey[];
}

interface HeldPasskey extends SoftwarePasskey {
  privateKey: KeyObject;
}

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest();
const b64url = (data: Uint8Array) => Buffer.from(data).toString("base64url");

// Authenticator data flags: user present, user verified, backup eligible and backed up (a synced passkey), attested credential data.
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

function counterBytes(count: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(count >>> 0);
  return bytes;
}

function clientData(type: "webauthn.create" | "webauthn.get", challenge: string, origin: string): string {
  return b64url(Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), "utf8"));
}

function unwrap<T extends object>(options: T | { publicKey: T }, method: string): T {
  if (typeof options !== "object" || options === null) throw new TypeError(`${method}: options must be an object (the options JSON of WebAuthn)`);
  return "publicKey" in options && typeof options.publicKey === "object" ? options.publicKey : (options as T);
}

/**
 * Creates a software authenticator (see `SoftwareAuthenticator`); `emulator.passkeys` is one
 * on the emulator's first allowed origin.
 *
 * @example
 * const passkeys = createSoftwareAuthenticator({ origin: "http://localhost:5173" });
 * const CREDENTIAL = JSON.stringify(await passkeys.get(ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS));
 */
export function createSoftwareAuthenticator(options: SoftwareAuthenticatorOptions = {}): SoftwareAuthenticator {
  const origin = options.origin ?? "http://localhost";
  if (typeof origin !== "string" || !/^https?:\/\/[^/]+$/.test(origin)) throw new TypeError("createSoftwareAuthenticator: origin must be an origin such as http://localhost:5173");
  const userVerified = options.userVerified ?? true;
  const algorithm = options.algorithm ?? "ES256";
  if (algorithm !== "ES256" && algorithm !== "RS256") throw new TypeError("createSoftwareAuthenticator: algorithm must be ES256 or RS256");
  const held: HeldPasskey[] = [];

  const flagsOf = (tamper: AuthenticatorTamper) => UP | BE | BS | ((tamper.userVerified ?? userVerified) ? UV : 0);

  return {
    origin,
    async create(input, tamper = {}) {
      const creation = unwrap(input, "create");
      if (typeof creation?.challenge !== "string" || typeof creation.user?.id !== "string") {
        throw new TypeError("create: options must be PublicKeyCredentialCreationOptionsJSON (challenge and user.id as base64url)");
      }
      const rpId = creation.rp?.id ?? new URL(origin).hostname;
      if ((creation.excludeCredentials ?? []).some((c) => held.some((p) => p.credentialId === c.id && p.rpId === rpId))) {
        throw new DOMException("The authenticator already holds one of excludeCredentials.", "InvalidStateError");
      }
      const { isoCBOR } = await import("@simplewebauthn/server/helpers");
      const { privateKey, publicKey } = algorithm === "RS256" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" });
      const jwk = publicKey.export({ format: "jwk" });
      const bytes = (member: string | undefined) => new Uint8Array(Buffer.from(member!, "base64url"));
      const cose = isoCBOR.encode(
        algorithm === "RS256"
          ? new Map<number, number | Uint8Array>([
              [1, 3], // kty: RSA
              [3, -257], // alg: RS256
              [-1, bytes(jwk.n)],
              [-2, bytes(jwk.e)],
            ])
          : new Map<number, number | Uint8Array>([
              [1, 2], // kty: EC2
              [3, -7], // alg: ES256
              [-1, 1], // crv: P-256
              [-2, bytes(jwk.x)],
              [-3, bytes(jwk.y)],
            ]),
      );
      const id = randomBytes(32);
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(id.length);
      const authenticatorData = Buffer.concat([
        sha256(tamper.rpId ?? rpId),
        Buffer.from([flagsOf(tamper) | AT]),
        counterBytes(0),
        Buffer.alloc(16), // AAGUID: none, as attestation "none" gives
        idLength,
        id,
        Buffer.from(cose),
      ]);
      const attestationObject = isoCBOR.encode(
        new Map<string, string | Map<string, string> | Uint8Array>([
          ["fmt", "none"],
          ["attStmt", new Map<string, string>()],
          ["authData", new Uint8Array(authenticatorData)],
        ]),
      );
      const credentialId = b64url(id);
      held.push({ credentialId, rpId, userHandle: creation.user.id, signCount: 0, privateKey });
      return {
        id: credentialId,
        rawId: credentialId,
        type: "public-key",
        response: {
          clientDataJSON: clientData("webauthn.create", tamper.challenge ?? creation.challenge, tamper.origin ?? origin),
          attestationObject: b64url(attestationObject),
          authenticatorData: b64url(authenticatorData),
          transports: ["internal"],
          publicKeyAlgorithm: algorithm === "RS256" ? -257 : -7,
          publicKey: b64url(publicKey.export({ format: "der", type: "spki" })),
        },
        authenticatorAttachment: "platform",
        clientExtensionResults: {},
      };
    },

    async get(input, tamper = {}) {
      const request = typeof input === "string" ? (JSON.parse(input) as PublicKeyCredentialRequestOptionsJSON) : unwrap(input, "get");
      if (typeof request?.challenge !== "string") throw new TypeError("get: options must be PublicKeyCredentialRequestOptionsJSON (or its JSON string)");
      const rpId = request.rpId ?? new URL(origin).hostname;
      const allowed = request.allowCredentials ?? [];
      const passkey =
        tamper.credentialId !== undefined
          ? held.find((p) => p.credentialId === tamper.credentialId)
          : held.find((p) => p.rpId === rpId && (allowed.length === 0 || allowed.some((c) => c.id === p.credentialId)));
      if (!passkey) throw new DOMException("The authenticator holds no passkey for this request.", "NotAllowedError");
      passkey.signCount = tamper.signCount ?? passkey.signCount + 1;
      const authenticatorData = Buffer.concat([sha256(tamper.rpId ?? rpId), Buffer.from([flagsOf(tamper)]), counterBytes(passkey.signCount)]);
      const clientDataJSON = clientData("webauthn.get", tamper.challenge ?? request.challenge, tamper.origin ?? origin);
      const signature = sign("sha256", Buffer.concat([authenticatorData, sha256(Buffer.from(clientDataJSON, "base64url"))]), passkey.privateKey);
      return {
        id: passkey.credentialId,
        rawId: passkey.credentialId,
        type: "public-key",
        response: {
          clientDataJSON,
          authenticatorData: b64url(authenticatorData),
          signature: b64url(signature),
          userHandle: passkey.userHandle,
        },
        authenticatorAttachment: "platform",
        clientExtensionResults: {},
      };
    },

    passkeys: () => held.map(({ credentialId, rpId, userHandle, signCount }) => ({ credentialId, rpId, userHandle, signCount })),
  };
}
