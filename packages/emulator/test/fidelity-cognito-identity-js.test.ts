import { AuthenticationDetails, type CognitoUser, type CognitoUserSession } from "amazon-cognito-identity-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { cognitoIdentityJs } from "./cognito-identity-js-support.js";
import { createConfirmedUser, password } from "./support.js";

function authenticate(user: CognitoUser, pass: string): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: pass }), { onSuccess: resolve, onFailure: reject }),
  );
}

// amazon-cognito-identity-js does SRP its own way; its sign-in working is the proof that
// the emulator's SRP server side matches Cognito's.
describe("amazon-cognito-identity-js against the emulator", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  it("signs in with SRP and refreshes its session", async () => {
    const { email, sub } = await createConfirmedUser(emulator);
    const user = cognitoIdentityJs(emulator).user(email);
    const session = await authenticate(user, password);
    expect(session.isValid()).toBe(true);
    expect(session.getIdToken().payload.sub).toBe(sub);
    expect(user.getUsername()).toBe(sub);

    emulator.advanceTime(5_000);
    const refreshed: CognitoUserSession = await new Promise((resolve, reject) =>
      user.refreshSession(session.getRefreshToken(), (error: Error | null, next: CognitoUserSession) => (error ? reject(error) : resolve(next))),
    );
    expect(refreshed.getAccessToken().getJwtToken()).not.toBe(session.getAccessToken().getJwtToken());
    expect(refreshed.getAccessToken().payload.origin_jti).toBe(session.getAccessToken().payload.origin_jti);
  });

  it("gets NotAuthorizedException for a wrong password", async () => {
    const { email } = await createConfirmedUser(emulator);
    const user = cognitoIdentityJs(emulator).user(email);
    await expect(authenticate(user, "Wrong-password-1")).rejects.toMatchObject({ code: "NotAuthorizedException", message: "Incorrect username or password." });
  });
});
