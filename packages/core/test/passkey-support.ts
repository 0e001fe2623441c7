// The emulator's software authenticator speaks WebAuthn's JSON; `navigator.credentials`
// speaks ArrayBuffers. This adapter gives core the browser's shape (through the platform's
// `webAuthn` seam), so core's own conversions run both ways, as they do in a browser.
import type { WebAuthnLike } from "@cogkit/core";
import type { AuthenticatorTamper, SoftwareAuthenticator } from "@cogkit/emulator";

const toText = (value: ArrayBuffer | ArrayBufferView) =>
  Buffer.from(ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value)).toString("base64url");
const toBuffer = (text: string) => {
  const bytes = Buffer.from(text, "base64url");
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
};

/** Options with ArrayBuffers (as the browser gets them) back to JSON with base64url text. */
function toJson(value: unknown): any {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return toText(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toJson(inner)]));
  return value;
}

/** A RegistrationResponseJSON or AuthenticationResponseJSON as the PublicKeyCredential a browser gives. */
function toCredential(json: any) {
  const response: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json.response)) if (typeof value === "string" && key !== "publicKey") response[key] = toBuffer(value);
  if (json.response.transports) response.getTransports = () => json.response.transports;
  return {
    id: json.id,
    rawId: toBuffer(json.rawId),
    type: json.type,
    authenticatorAttachment: json.authenticatorAttachment ?? null,
    response,
    getClientExtensionResults: () => json.clientExtensionResults ?? {},
  };
}

/**
 * `authenticator` as `navigator.credentials` for `platform.webAuthn`. `tamper()` says how its
 * next answers depart from honest ones; `seen` keeps the `publicKey` options it was asked with.
 *
 * @example
 * const client = createAuthClient(config, { platform: { webAuthn: credentialsOf(emulator.passkeys) } });
 */
export function credentialsOf(authenticator: SoftwareAuthenticator, tamper: () => AuthenticatorTamper | undefined = () => undefined) {
  const seen: any[] = [];
  const container: WebAuthnLike & { seen: any[] } = {
    seen,
    async create({ publicKey }) {
      seen.push(publicKey);
      return toCredential(await authenticator.create(toJson(publicKey), tamper()));
    },
    async get({ publicKey }) {
      seen.push(publicKey);
      return toCredential(await authenticator.get(toJson(publicKey), tamper()));
    },
  };
  return container;
}
