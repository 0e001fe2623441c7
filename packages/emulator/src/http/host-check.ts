import { isLoopbackName } from "./origin-check.js";

// A host name or an IPv4 address, or an IPv6 address in brackets; then an optional port.
const hostPattern = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i;

/**
 * Decides which `Host` headers the node:http server answers: loopback names (`localhost`,
 * `127.0.0.1`, `[::1]`) and the names in `allowedHosts`, on any port. Any other name
 * means a page reached the emulator through a name it controls (DNS rebinding). Throws a
 * TypeError naming an entry that is not a bare host name.
 *
 * @example
 * const isAllowed = createHostCheck(["cognito.dev.internal"]);
 * isAllowed("cognito.dev.internal:9229"); // true
 * isAllowed("evil.example:9229"); // false
 */
export function createHostCheck(allowedHosts: readonly string[] = []): (host: string | undefined) => boolean {
  if (!Array.isArray(allowedHosts)) throw new TypeError("allowedHosts must be an array of host names like cognito.dev.internal");
  const allowed = new Set<string>();
  for (const entry of allowedHosts as unknown[]) {
    const match = typeof entry === "string" ? hostPattern.exec(entry) : null;
    if (!match || match[2] !== undefined) throw new TypeError(`allowedHosts: ${String(entry)} is not a host name like cognito.dev.internal (no scheme, no port)`);
    allowed.add(match[1]!.toLowerCase());
  }
  return (host) => {
    const match = host === undefined ? null : hostPattern.exec(host);
    if (!match) return false;
    const name = match[1]!.toLowerCase();
    return isLoopbackName(name) || allowed.has(name);
  };
}
