/**
 * True for a plain JSON-style object: not `null`, not an array. Shared because the same
 * check guards every parsed value (answers, stored records, JWT payloads, configs).
 *
 * @example
 * isRecord(JSON.parse(text)) // false for "[1]" or "null"
 */
export function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
