import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorCore } from "../src/create-emulator.js";
import type { EmulatorState } from "../src/emulator-state.js";
import { call, createConfirmedUser, errorOf, identityCall, signIn, startSrp } from "./support.js";
import { serveState } from "./served-state-support.js";

const minute = 60 * 1000;
const day = 24 * 60 * minute;

// What Cognito lets expire, the emulator forgets (a while later), so its memory does not grow
// with every sign-in. Time is the emulator's; the stores are looked into through the state.
describe("forgetting what has expired", () => {
  let state: EmulatorState;
  let emulator: EmulatorCore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ state, emulator, close } = await serveState({ tokenValidity: { accessSeconds: 3600, idSeconds: 3600, refreshSeconds: 2 * 24 * 3600 } }));
  });
  afterAll(() => close());
  const refresh = (RefreshToken: string) => call(emulator, "GetTokensFromRefreshToken", { ClientId: emulator.config.userPoolClientId, RefreshToken });

  it("forgets refresh-token families a day after their refresh tokens expire", async () => {
    const { email } = await createConfirmedUser(emulator);
    const first = await signIn(emulator, email);
    await signIn(emulator, email);
    const before = state.refreshTokens.size();
    emulator.advanceTime(2 * day + minute);
    // Expired but still known: Cognito's own answer.
    expect(errorOf(await refresh(first.RefreshToken)).message).toBe("Refresh Token has expired");
    emulator.advanceTime(day);
    await signIn(emulator, email);
    expect(before).toEqual({ families: 2, tokens: 2 });
    expect(state.refreshTokens.size()).toEqual({ families: 1, tokens: 1 });
    expect(errorOf(await refresh(first.RefreshToken)).message).toBe("Invalid Refresh Token");
  });

  it("forgets revoked families once their access tokens can no longer be in use", async () => {
    const { email } = await createConfirmedUser(emulator);
    const session = await signIn(emulator, email);
    const families = state.refreshTokens.size().families;
    expect((await call(emulator, "GlobalSignOut", { AccessToken: session.AccessToken })).status).toBe(200);
    emulator.advanceTime(10 * minute);
    expect(errorOf(await call(emulator, "GetUser", { AccessToken: session.AccessToken })).message).toBe("Access Token has been revoked");
    emulator.advanceTime(day);
    await signIn(emulator, (await createConfirmedUser(emulator)).email);
    expect(state.refreshTokens.size().families).toBe(families);
    expect(errorOf(await refresh(session.RefreshToken)).message).toBe("Invalid Refresh Token");
  });

  it("forgets unanswered sign-in sessions a quarter of an hour after they expire", async () => {
    const { email } = await createConfirmedUser(emulator);
    const abandoned = await startSrp(emulator, email);
    await startSrp(emulator, email);
    const open = state.authSessions.size();
    emulator.advanceTime(3 * minute + 1);
    expect(errorOf(await abandoned.respond(await abandoned.prove("Correct-horse-1"))).message).toBe("Invalid session for the user, session is expired.");
    emulator.advanceTime(16 * minute);
    await startSrp(emulator, email);
    expect(state.authSessions.size()).toBe(1);
    expect(open).toBeGreaterThanOrEqual(2);
  });

  it("drops sent codes from the outbox at twice their validity", async () => {
    const { email } = await createConfirmedUser(emulator);
    expect(emulator.outbox.latest(email)?.kind).toBe("signUp");
    emulator.advanceTime(24 * 60 * minute + minute);
    // Expired, and still readable so a test can show it is refused.
    expect(emulator.outbox.latest(email)?.kind).toBe("signUp");
    emulator.advanceTime(day);
    const other = await createConfirmedUser(emulator);
    expect(emulator.outbox.latest(email)).toBeUndefined();
    expect(emulator.outbox.all()).toHaveLength(1);
    expect(state.outbox.size()).toBe(1);
    expect(emulator.outbox.latest(other.email)?.kind).toBe("signUp");
  });

  it("forgets AWS credentials a day after they expire", async () => {
    const guestCredentials = async () => {
      const { body } = await identityCall(emulator, "GetId", { IdentityPoolId: emulator.config.identityPoolId });
      return (await identityCall(emulator, "GetCredentialsForIdentity", { IdentityId: body.IdentityId })).body.Credentials;
    };
    emulator.advanceTime(2 * day);
    await guestCredentials();
    await guestCredentials();
    expect(state.credentials.size()).toBe(2);
    emulator.advanceTime(day + 2 * 60 * minute);
    await guestCredentials();
    expect(state.credentials.size()).toBe(1);
  });
});
