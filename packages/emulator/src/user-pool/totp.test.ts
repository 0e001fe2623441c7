import { describe, expect, it } from "vitest";
import { generateTotp, totpMatches } from "./totp.js";

// RFC 6238 appendix B, SHA-1 key "12345678901234567890" in base32; the RFC prints 8 digits, we keep the last 6.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("generateTotp", () => {
  it("matches the RFC 6238 test vectors", () => {
    expect(generateTotp(rfcSecret, 59_000)).toBe("287082");
    expect(generateTotp(rfcSecret, 1_111_111_109_000)).toBe("081804");
    expect(generateTotp(rfcSecret, 1_234_567_890_000)).toBe("005924");
    expect(generateTotp(rfcSecret, 20_000_000_000_000)).toBe("353130");
  });

  it("accepts one step of drift either way and no more", () => {
    const now = 1_234_567_890_000;
    expect(totpMatches(rfcSecret, generateTotp(rfcSecret, now - 30_000), now)).toBe(true);
    expect(totpMatches(rfcSecret, generateTotp(rfcSecret, now + 30_000), now)).toBe(true);
    expect(totpMatches(rfcSecret, generateTotp(rfcSecret, now - 60_000), now)).toBe(false);
    expect(totpMatches(rfcSecret, generateTotp(rfcSecret, now + 60_000), now)).toBe(false);
  });
});
