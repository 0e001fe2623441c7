import { expect, it, vi } from "vitest";

it("gets credentials, then a second time from the file, and STS accepts a call signed with them", async () => {
  const lines: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
  try {
    // @ts-expect-error -- a plain .mjs script, run for its output
    await import("../main.mjs");
  } finally {
    log.mockRestore();
  }
  expect(lines[0]).toMatch(/^credentials for identity us-east-1:[0-9a-f-]+, until /);
  expect(lines[1]).toMatch(/^second call: from the session file in [\d.]+ ms, no request$/);
  expect(lines[2]).toMatch(/^STS says: arn:aws:sts::\d{12}:assumed-role\/.+\/CognitoIdentityCredentials$/);
});
