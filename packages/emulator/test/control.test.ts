import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { call, createConfirmedUser, errorOf, freshEmail, password } from "./support.js";

describe("the control API", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());
  const ClientId = () => emulator.config.userPoolClientId;
  const signUp = (Username = freshEmail()) => call(emulator, "SignUp", { ClientId: ClientId(), Username, Password: password });
  const control = (path: string, init?: RequestInit) => fetch(`${emulator.url}/_emulator/${path}`, init);
  const postJson = (path: string, body: unknown) => control(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("fails the next calls of an operation as often as asked, with Cognito's throttling answer", async () => {
    emulator.injectFault("SignUp", { error: "TooManyRequestsException", times: 2 });
    for (let i = 0; i < 2; i++) {
      expect(errorOf(await signUp())).toEqual({ type: "TooManyRequestsException", message: "Rate exceeded", status: 400, header: "TooManyRequestsException" });
    }
    expect((await signUp()).status).toBe(200);
  });

  it("answers a status of 500 without an error as InternalErrorException", async () => {
    emulator.injectFault("SignUp", { status: 503 });
    expect(errorOf(await signUp())).toMatchObject({ type: "InternalErrorException", status: 503 });
    emulator.injectFault("SignUp", { error: "InternalErrorException", message: "boom" });
    expect(errorOf(await signUp())).toMatchObject({ type: "InternalErrorException", message: "boom", status: 500 });
  });

  it("stalls a call by delayMs and then answers it normally", async () => {
    emulator.injectFault("ResendConfirmationCode", { delayMs: 150 });
    const started = performance.now();
    const answer = await call(emulator, "ResendConfirmationCode", { ClientId: ClientId(), Username: freshEmail() });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(answer.status).toBe(200);
  });

  it("counts calls per operation, faulted ones included", async () => {
    const before = emulator.callCount("ConfirmSignUp");
    emulator.injectFault("ConfirmSignUp", { error: "InternalErrorException" });
    await call(emulator, "ConfirmSignUp", { ClientId: ClientId(), Username: freshEmail(), ConfirmationCode: "123456" });
    await call(emulator, "ConfirmSignUp", { ClientId: ClientId(), Username: freshEmail(), ConfirmationCode: "123456" });
    expect(emulator.callCount("ConfirmSignUp")).toBe(before + 2);
    const overHttp = (await (await control("calls?operation=ConfirmSignUp")).json()) as { count: number };
    expect(overHttp.count).toBe(before + 2);
    expect(((await (await control("calls")).json()) as { calls: Record<string, number> }).calls.ConfirmSignUp).toBe(before + 2);
  });

  it("takes faults and time travel over HTTP", async () => {
    expect((await postJson("faults", { operation: "InitiateAuth", error: "TooManyRequestsException" })).status).toBe(204);
    const throttled = await call(emulator, "InitiateAuth", { ClientId: ClientId(), AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "a@b.co", PASSWORD: "x" } });
    expect(errorOf(throttled).type).toBe("TooManyRequestsException");

    const email = freshEmail();
    await signUp(email);
    const code = emulator.outbox.latest(email)!.code;
    const before = emulator.now();
    const moved = (await (await postJson("time", { advanceMs: 25 * 60 * 60 * 1000 })).json()) as { now: number };
    expect(moved.now).toBeGreaterThanOrEqual(before + 25 * 60 * 60 * 1000);
    const late = await call(emulator, "ConfirmSignUp", { ClientId: ClientId(), Username: email, ConfirmationCode: code });
    expect(errorOf(late).type).toBe("ExpiredCodeException");
    expect((await postJson("faults", { operation: "SignUp", times: 0, error: "X" })).status).toBe(400);
  });

  it("drops pending faults on DELETE", async () => {
    emulator.injectFault("SignUp", { error: "InternalErrorException", times: 5 });
    expect((await control("faults", { method: "DELETE" })).status).toBe(204);
    expect((await signUp()).status).toBe(200);
  });

  it("serves the outbox over HTTP", async () => {
    const email = freshEmail("outbox");
    await signUp(email);
    const all = (await (await control(`outbox?username=${encodeURIComponent(email)}`)).json()) as { messages: Array<Record<string, unknown>> };
    expect(all.messages).toHaveLength(1);
    expect(all.messages[0]).toMatchObject({ kind: "signUp", destination: "o***@e***", code: emulator.outbox.latest(email)!.code });
    const latest = await control(`outbox/latest?username=${encodeURIComponent(email)}`);
    expect(((await latest.json()) as { code: string }).code).toBe(emulator.outbox.latest(email)!.code);
    expect((await control(`outbox/latest?username=nobody`)).status).toBe(404);
  });

  it("serves the client config and adds users to groups over HTTP", async () => {
    const config = (await (await control("config")).json()) as Record<string, string>;
    expect(config).toEqual(JSON.parse(JSON.stringify(emulator.config)));
    const { email } = await createConfirmedUser(emulator);
    expect((await postJson("groups", { username: email, group: "NOPE" })).status).toBe(400);
  });

  it("answers CORS preflights and exposes the error headers to browsers", async () => {
    const preflight = await fetch(emulator.url, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-amz-target" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-amz-target");
    const answer = await fetch(emulator.url, {
      method: "POST",
      headers: { origin: "http://localhost:5173", "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.GetUser" },
      body: "{}",
    });
    expect(answer.headers.get("access-control-expose-headers")).toMatch(/x-amzn-ErrorType.*x-amzn-RequestId/);
    expect(answer.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers unknown operations, bad JSON and a wrong content type like an AWS JSON service", async () => {
    expect(errorOf(await call(emulator, "NoSuchOperation", {})).type).toBe("UnknownOperationException");
    const bad = await fetch(emulator.url, { method: "POST", headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.SignUp" }, body: "{" });
    expect(((await bad.json()) as { __type: string }).__type).toBe("SerializationException");
    const form = await fetch(emulator.url, { method: "POST", headers: { "content-type": "text/plain", "x-amz-target": "AWSCognitoIdentityProviderService.SignUp" }, body: "{}" });
    expect(form.status).toBe(400);
  });

  it("rejects misuse of the control functions with a TypeError", () => {
    expect(() => emulator.advanceTime(-1)).toThrow(TypeError);
    expect(() => emulator.injectFault("SignUp", {})).toThrow(TypeError);
    expect(() => emulator.injectFault("SignUp", { error: "X", times: 0 })).toThrow(TypeError);
  });
});

describe("startEmulator", () => {
  it("gives Cognito-shaped ids, the region asked for and a config pointing at itself", async () => {
    const emulator = await startEmulator({ region: "eu-west-2" });
    try {
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emulator.config).toMatchObject({
        region: "eu-west-2",
        loginWith: { email: true },
        userPoolEndpoint: emulator.url,
        identityPoolEndpoint: emulator.url,
      });
      expect(emulator.config.userPoolId).toMatch(/^eu-west-2_[A-Za-z0-9]{9}$/);
      expect(emulator.config.userPoolClientId).toMatch(/^[a-z0-9]{26}$/);
      expect(emulator.config).not.toHaveProperty("clientSecret");
    } finally {
      await emulator.stop();
    }
  });

  it("listens on the port asked for and frees it on stop", async () => {
    const first = await startEmulator();
    const port = Number(new URL(first.url).port);
    await first.stop();
    const second = await startEmulator({ port });
    try {
      expect(second.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await second.stop();
    }
    await expect(fetch(second.url)).rejects.toThrow();
  });

  it("calls the log hook with each code it sends, never with the password or who it went to, and stays quiet when asked", async () => {
    const lines: string[] = [];
    const loud = await startEmulator({ log: (line) => lines.push(line) });
    const quiet = await startEmulator({ quiet: true, log: (line) => lines.push(`quiet: ${line}`) });
    try {
      const email = freshEmail("logged");
      for (const emulator of [loud, quiet]) {
        await call(emulator, "SignUp", { ClientId: emulator.config.userPoolClientId, Username: email, Password: password });
      }
      expect(lines).toHaveLength(1);
      const sent = loud.outbox.all()[0]!;
      expect(lines[0]).toBe(`[cogkit-emulator] signUp code ${sent.code} sent (EMAIL to ${sent.destination})`);
      // Usernames and addresses are personal data: the log names the operation and the masked destination only.
      expect(lines[0]).not.toContain(sent.username);
      expect(lines[0]).not.toContain(email);
      expect(lines[0]).not.toContain(password);
    } finally {
      await Promise.all([loud.stop(), quiet.stop()]);
    }
  });
});
