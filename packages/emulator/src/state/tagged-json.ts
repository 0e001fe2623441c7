/**
 * JSON for the emulator's records, which hold Maps, Sets, bigints and bytes: each is
 * written as a one-key object (`{"$map": [[k, v], ...]}`, `{"$set": [...]}`,
 * `{"$bigint": "<hex>"}`, `{"$bytes": "<base64>"}`) and read back as itself. Fields a
 * record gains later (another feature's settings) are carried without this file knowing them.
 *
 * @example
 * const text = JSON.stringify(toTaggedJson(user));
 * const again = fromTaggedJson(JSON.parse(text)) as UserRecord;
 */
export function toTaggedJson(value: unknown): unknown {
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [toTaggedJson(k), toTaggedJson(v)]) };
  if (value instanceof Set) return { $set: [...value].map(toTaggedJson) };
  if (typeof value === "bigint") return { $bigint: value.toString(16) };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") };
  if (Array.isArray(value)) return value.map(toTaggedJson);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) if (field !== undefined && typeof field !== "function") out[key] = toTaggedJson(field);
    return out;
  }
  return value;
}

/** Reads what {@link toTaggedJson} wrote. */
export function fromTaggedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromTaggedJson);
  if (typeof value !== "object" || value === null) return value;
  const keys = Object.keys(value);
  const tagged = value as Record<string, unknown>;
  if (keys.length === 1) {
    if (Array.isArray(tagged.$map)) return new Map((tagged.$map as Array<[unknown, unknown]>).map(([k, v]) => [fromTaggedJson(k), fromTaggedJson(v)]));
    if (Array.isArray(tagged.$set)) return new Set(tagged.$set.map(fromTaggedJson));
    if (typeof tagged.$bigint === "string") {
      const hex = tagged.$bigint;
      return hex.startsWith("-") ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);
    }
    if (typeof tagged.$bytes === "string") return Buffer.from(tagged.$bytes, "base64");
  }
  return Object.fromEntries(keys.map((key) => [key, fromTaggedJson(tagged[key])]));
}
