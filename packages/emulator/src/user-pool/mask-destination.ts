/**
 * Masks an email or phone number the way Cognito's CodeDeliveryDetails do:
 * `ana@example.com` → `a***@e***`, `+15555550123` → `+*******0123`.
 *
 * @example
 * maskDestination("ana@example.com"); // "a***@e***"
 */
export function maskDestination(value: string): string {
  const at = value.indexOf("@");
  if (at > 0) return `${value[0]}***@${value[at + 1] ?? ""}***`;
  if (value.length <= 4) return "*".repeat(value.length);
  return `${value.startsWith("+") ? "+" : ""}${"*".repeat(value.length - 4 - (value.startsWith("+") ? 1 : 0))}${value.slice(-4)}`;
}
