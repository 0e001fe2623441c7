/**
 * True where this page can use passkeys: a secure context (HTTPS, or `localhost`) with
 * WebAuthn. Reads the globals when called. Whether the device also holds a passkey of the
 * user is only known when the browser is asked (signing in with `WEB_AUTHN`).
 *
 * @example
 * if (isPasskeySupported()) showPasskeyButton();
 */
export function isPasskeySupported(): boolean {
  const g: any = globalThis;
  return g.isSecureContext !== false && typeof g.PublicKeyCredential == "function" && typeof g.navigator?.credentials?.get == "function";
}
