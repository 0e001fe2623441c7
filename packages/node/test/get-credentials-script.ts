// Run as its own process by the tests: one getCredentials() call, its outcome on stdout.
import { getCredentials } from "@cogkit/node";

getCredentials().then(
  (credentials) => process.stdout.write(`${JSON.stringify({ ok: true, ...credentials })}\n`),
  (error: { code?: string; message?: string }) => {
    process.stdout.write(`${JSON.stringify({ ok: false, code: error.code, message: error.message })}\n`);
    process.exitCode = 1;
  },
);
