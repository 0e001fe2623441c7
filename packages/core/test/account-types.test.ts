// Type tests, checked by `pnpm --filter @cogkit/core typecheck`: the schema decides which
// attributes the account functions take and what type each value has.
import { describe, expectTypeOf, it } from "vitest";
import {
  confirmUserAttribute,
  createAuthClient,
  deleteUserAttributes,
  fetchMfaPreference,
  fetchUserAttributes,
  type AttributeUpdate,
  type MfaMethod,
  updateUserAttributes,
} from "../src/index.js";
import { accountAuth } from "./account-support.js";

const client = createAuthClient({ ...accountAuth, region: "eu-west-1", userPoolId: "eu-west-1_abc", userPoolClientId: "client" });
// Never called: only compiled.
const compileOnly = (_: () => unknown) => undefined;

describe("the account functions' types", () => {
  it("take writable attributes by Cognito name, with the value type of their dataType", () => {
    compileOnly(() => updateUserAttributes(client, { attributes: { given_name: "Ana", "custom:is_beta_user": true, "custom:seats": 4 } }));
    // @ts-expect-error a misspelt name
    compileOnly(() => updateUserAttributes(client, { attributes: { givne_name: "Ana" } }));
    // @ts-expect-error the camelCase key of the schema is not the attribute's name
    compileOnly(() => updateUserAttributes(client, { attributes: { givenName: "Ana" } }));
    // @ts-expect-error a string for a Boolean custom attribute
    compileOnly(() => updateUserAttributes(client, { attributes: { "custom:is_beta_user": "true" } }));
    // @ts-expect-error a string for a Number custom attribute
    compileOnly(() => updateUserAttributes(client, { attributes: { "custom:seats": "4" } }));
    // @ts-expect-error an immutable custom attribute
    compileOnly(() => updateUserAttributes(client, { attributes: { "custom:tenant": "globex" } }));
    // @ts-expect-error an immutable standard attribute
    compileOnly(() => updateUserAttributes(client, { attributes: { birthdate: "2000-01-01" } }));
    // @ts-expect-error a custom attribute the schema lacks
    compileOnly(() => updateUserAttributes(client, { attributes: { "custom:nope": "x" } }));
    // @ts-expect-error Cognito's own flag
    compileOnly(() => updateUserAttributes(client, { attributes: { email_verified: true } }));
    // @ts-expect-error an immutable attribute cannot be deleted either
    compileOnly(() => deleteUserAttributes(client, { attributes: ["custom:tenant"] }));
    // @ts-expect-error only email and phone_number are verified with a code
    compileOnly(() => confirmUserAttribute(client, { attribute: "given_name", code: "123456" }));
  });

  it("answer per attribute given, and read attributes typed like user.attributes", () => {
    const update = () => updateUserAttributes(client, { attributes: { email: "ana@example.com" } });
    expectTypeOf(update).returns.resolves.toEqualTypeOf<{ email: AttributeUpdate }>();
    const attributes = () => fetchUserAttributes(client);
    expectTypeOf(attributes).returns.resolves.toHaveProperty("custom:seats").toEqualTypeOf<number | undefined>();
    expectTypeOf(attributes).returns.resolves.toHaveProperty("custom:is_beta_user").toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Awaited<ReturnType<typeof fetchMfaPreference>>>().toEqualTypeOf<{ enabled: MfaMethod[]; preferred?: MfaMethod }>();
  });
});
