import { describe, expect, it } from "vitest";
import { formatSrpTimestamp, parseSrpTimestamp } from "./srp-timestamp.js";

describe("SRP timestamps", () => {
  it("formats the day of the month without padding and the time with it", () => {
    expect(formatSrpTimestamp(Date.UTC(2026, 10, 3, 4, 5, 6))).toBe("Tue Nov 3 04:05:06 UTC 2026");
    expect(formatSrpTimestamp(Date.UTC(2026, 0, 31, 23, 59, 9))).toBe("Sat Jan 31 23:59:09 UTC 2026");
  });

  it("parses what it formats, to the second", () => {
    const ms = Date.UTC(2027, 1, 28, 12, 0, 1);
    expect(parseSrpTimestamp(formatSrpTimestamp(ms))).toBe(ms);
  });

  it("refuses zero-padded days, wrong weekdays, impossible dates and other shapes", () => {
    for (const text of [
      "Tue Nov 03 04:05:06 UTC 2026",
      "Wed Nov 3 04:05:06 UTC 2026",
      "Mon Feb 30 04:05:06 UTC 2026",
      "Tue Nov 3 4:05:06 UTC 2026",
      "Tue, 03 Nov 2026 04:05:06 GMT",
      "Tue Nov 3 04:05:06 GMT 2026",
    ]) {
      expect(parseSrpTimestamp(text), text).toBeUndefined();
    }
  });
});
