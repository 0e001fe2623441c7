import { describe, expect, it } from "vitest";
import { maskDestination } from "./mask-destination.js";

describe("maskDestination", () => {
  it("keeps the first letter of an email's name and domain", () => {
    expect(maskDestination("ana@example.com")).toBe("a***@e***");
  });

  it("keeps the plus and the last four digits of a phone number", () => {
    expect(maskDestination("+15555550123")).toBe("+*******0123");
  });
});
