// Type tests, checked by `pnpm --filter @cogkit/core typecheck`: what choice-based sign-in
// takes, and the steps it answers with.
import { describe, expectTypeOf, it } from "vitest";
import { type CodeDelivery, type ConfirmSignUpNextStep, createAuthClient, type FirstFactor, type SignInNextStep } from "../src/index.js";

const client = createAuthClient({ region: "eu-west-1", userPoolId: "eu-west-1_abc", userPoolClientId: "client" });
// Never called: only compiled (a call would send the request, to an AWS host no test may reach).
const compileOnly = (_: () => unknown) => undefined;

describe("choice-based sign-in's types", () => {
  it("takes no password for the choice flow, and needs one for the others", () => {
    compileOnly(() => client.signIn({ username: "ana", flow: "choice" }));
    compileOnly(() => client.signIn({ username: "ana", flow: "choice", preferredChallenge: "WEB_AUTHN" }));
    compileOnly(() => client.signIn({ username: "ana", flow: "choice", preferredChallenge: "PASSWORD", password: "pw" }));
    compileOnly(() => client.signIn({ username: "ana", password: "pw" }));
    // @ts-expect-error SRP needs the password
    compileOnly(() => client.signIn({ username: "ana" }));
    // @ts-expect-error USER_PASSWORD_AUTH needs the password
    compileOnly(() => client.signIn({ username: "ana", flow: "password" }));
    // @ts-expect-error a factor Cognito does not have
    compileOnly(() => client.signIn({ username: "ana", flow: "choice", preferredChallenge: "MAGIC_LINK" }));
    // @ts-expect-error a preferred factor belongs to the choice flow
    compileOnly(() => client.signIn({ username: "ana", password: "pw", preferredChallenge: "EMAIL_OTP" }));
  });

  it("narrows the first-factor steps by type", () => {
    const step = {} as SignInNextStep;
    if (step.type === "selectFirstFactor") expectTypeOf(step.availableChallenges).toEqualTypeOf<FirstFactor[]>();
    if (step.type === "emailOtp" || step.type === "smsOtp") expectTypeOf(step.codeDelivery).toEqualTypeOf<CodeDelivery>();
    if (step.type === "password") expectTypeOf(step).toEqualTypeOf<{ type: "password" }>();
    expectTypeOf<FirstFactor>().toEqualTypeOf<"PASSWORD" | "PASSWORD_SRP" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN">();
  });

  it("answers confirmSignUp with a sign-in step only when signIn is asked for", () => {
    expectTypeOf(() => client.confirmSignUp({ username: "ana", code: "123456" })).returns.resolves.toEqualTypeOf<{ nextStep: { type: "done" } }>();
    expectTypeOf(() => client.confirmSignUp({ username: "ana", code: "123456", signIn: true })).returns.resolves.toEqualTypeOf<{ nextStep: ConfirmSignUpNextStep }>();
    expectTypeOf<Extract<ConfirmSignUpNextStep, { type: "signIn" }>>().toEqualTypeOf<{ type: "signIn" }>();
    const signIn = Math.random() > 0.5;
    expectTypeOf(() => client.confirmSignUp({ username: "ana", code: "123456", signIn })).returns.resolves.toEqualTypeOf<{ nextStep: ConfirmSignUpNextStep }>();
  });
});
