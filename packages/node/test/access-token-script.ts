// Run as its own process by the tests: one getAccessToken() call for the scopes given as
// arguments, its outcome on stdout.
import { getAccessToken } from "@cogkit/node";

getAccessToken({ scopes: process.argv.slice(2) }).then(
  (token) => process.stdout.write(`${JSON.stringify({ ok: true, ...token })}\n`),
  (error: { code?: string; message?: string }) => {
    process.stdout.write(`${JSON.stringify({ ok: false, code: error.code, message: error.message })}\n`);
    process.exitCode = 1;
  },
);
