import { inspect } from "node:util";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAwsSdkTransport } from "../aws-sdk.js";
import { createAuthClient } from "../client.js";
import { isAuthError } from "../errors.js";
import { createMemoryStorage } from "../platform/memory-storage.js";
import { createFetchTransport } from "../transport/fetch-transport.js";
import type { CognitoTransport } from "../transport/types.js";
import { confirmForgotPassword } from "./forgot-password.js";

const endpoints = { region: "eu-west-1", userPoolEndpoint: "https://idp.cognito.test/" };
const config = { ...endpoints, userPoolId: "eu-west-1_test", userPoolClientId: "client" };
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// A server that echoes the whole request into its error message: the worst case.
const echo = () =>
  server.use(
    http.post("https://idp.cognito.test/", async ({ request }) =>
      HttpResponse.json({ __type: "InvalidParameterException", message: `You sent ${await request.text()}` }, { status: 400 }),
    ),
  );

const secrets = { password: "N3w-password-never-shown", previous: "0ld-password-never-shown", code: "code-492817-never-shown" };

function dump(error: unknown): string {
  if (!isAuthError(error)) throw new Error(`expected an AuthError, got ${inspect(error)}`);
  return inspect(error, { depth: 20, showHidden: true }) + JSON.stringify(error) + String(error.stack);
}

describe.each([
  { name: "fetch", make: (): CognitoTransport | undefined => undefined },
  { name: "aws-sdk", make: (): CognitoTransport | undefined => createAwsSdkTransport(endpoints) },
])("password secrets over the $name transport", ({ make }) => {
  it("keeps the new password and the code of ConfirmForgotPassword out of errors", async () => {
    echo();
    const client = createAuthClient(config, { transport: make(), platform: { storage: createMemoryStorage() } });
    const error = await confirmForgotPassword(client, { username: "ana", code: secrets.code, newPassword: secrets.password }).catch((e: unknown) => e);
    const text = dump(error);
    expect(text).toContain("[redacted]");
    for (const secret of [secrets.code, secrets.password]) expect(text).not.toContain(secret);
  });

  it("keeps both passwords of ChangePassword out of errors", async () => {
    echo();
    const transport = make() ?? createFetchTransport(endpoints);
    const error = await transport
      .userPool("ChangePassword", { AccessToken: "eyJhbGciOiJub25lIn0.e30.sig", PreviousPassword: secrets.previous, ProposedPassword: secrets.password })
      .catch((e: unknown) => e);
    const text = dump(error);
    expect(text).toContain("[redacted]");
    for (const secret of [secrets.previous, secrets.password]) expect(text).not.toContain(secret);
  });
});
