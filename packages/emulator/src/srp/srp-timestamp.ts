const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const shape = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d) UTC (\d{4})$/;

/**
 * Formats a time the way SRP clients sign it: `Tue Nov 3 04:05:06 UTC 2026` (day of the
 * month not zero-padded, hours/minutes/seconds are).
 *
 * @example
 * formatSrpTimestamp(Date.UTC(2026, 10, 3, 4, 5, 6)); // "Tue Nov 3 04:05:06 UTC 2026"
 */
export function formatSrpTimestamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${weekdays[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/**
 * Parses an SRP `TIMESTAMP`; undefined unless it has exactly the client format and names
 * a real date (the weekday must match).
 */
export function parseSrpTimestamp(text: string): number | undefined {
  const m = shape.exec(text);
  if (!m) return undefined;
  const [, weekday, month, day, hh, mm, ss, year] = m;
  const ms = Date.UTC(Number(year), months.indexOf(month!), Number(day), Number(hh), Number(mm), Number(ss));
  const parsed = new Date(ms);
  if (parsed.getUTCDate() !== Number(day) || weekdays[parsed.getUTCDay()] !== weekday) return undefined;
  return ms;
}
