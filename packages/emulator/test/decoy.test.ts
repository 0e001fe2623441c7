import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorCore } from "../src/create-emulator.js";
import type { EmulatorState } from "../src/emulator-state.js";
import { serveState } from "./served-state-support.js";
import { call, createConfirmedUser, errorOf, freshEmail, password, startSrp } from "./support.js";

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const variantOf = (uuid: string) => uuid[19];

// A state of our own, served over real HTTP, so the test can count the SRP maths the
// server runs through the state's modPow seam (work, not time: the box may be loaded).
describe("a client that prevents user existence errors, facing an unknown user", () => {
  let state: EmulatorState;
  let emulator: EmulatorCore;
  let close: () => Promise<void>;
  let modPowCalls = 0;
  beforeAll(async () => {
    ({ state, emulator, close } = await serveState());
    const counted = state.modPow;
    state.modPow = (base, exponent, modulus) => {
      modPowCalls += 1;
      return counted(base, exponent, modulus);
    };
  });
  afterAll(() => close());

  /** modPow calls made while `step` runs. */
  const work = async <T>(step: () => Promise<T>): Promise<[number, T]> => {
    const before = modPowCalls;
    const result = await step();
    return [modPowCalls - before, result];
  };

  it("gives a USER_ID_FOR_SRP shaped like a real sub: a UUID v4 of any of its four variants", async () => {
    const real = await createConfirmedUser(emulator);
    const realChallenge = await startSrp(emulator, real.email);
    expect(realChallenge.answer.body.ChallengeParameters.USER_ID_FOR_SRP).toBe(real.sub);
    expect(real.sub).toMatch(uuidV4);
    const decoys: string[] = [];
    // Only the challenge matters here, so any valid A will do (the client's maths is slow).
    const challenge = (USERNAME: string) =>
      call(emulator, "InitiateAuth", { ClientId: state.client.id, AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME, SRP_A: "abc123" } });
    for (let i = 0; i < 64; i++) decoys.push((await challenge(freshEmail("ghost"))).body.ChallengeParameters.USER_ID_FOR_SRP);
    for (const id of decoys) expect(id).toMatch(uuidV4);
    // Random subs spread over 8, 9, a and b; 64 decoys all on one would give them away.
    expect(new Set(decoys.map(variantOf))).toEqual(new Set(["8", "9", "a", "b"]));
  });

  it("gives the same decoy USER_ID_FOR_SRP and SALT for the same unknown username, and another for another", async () => {
    const ghost = freshEmail("ghost");
    const first = (await startSrp(emulator, ghost)).answer.body.ChallengeParameters;
    const again = (await startSrp(emulator, ghost.toUpperCase())).answer.body.ChallengeParameters;
    const other = (await startSrp(emulator, freshEmail("ghost"))).answer.body.ChallengeParameters;
    expect(again.USER_ID_FOR_SRP).toBe(first.USER_ID_FOR_SRP);
    expect(again.SALT).toBe(first.SALT);
    expect(again.SRP_B).not.toBe(first.SRP_B);
    expect(other.USER_ID_FOR_SRP).not.toBe(first.USER_ID_FOR_SRP);
  });

  it("runs the same SRP maths for an unknown user as for a known one with a wrong password, at each step", async () => {
    const known = await createConfirmedUser(emulator);
    const [knownStart, knownSrp] = await work(() => startSrp(emulator, known.email));
    const [unknownStart, unknownSrp] = await work(() => startSrp(emulator, freshEmail("ghost")));
    expect(knownStart).toBeGreaterThan(0);
    expect(unknownStart).toBe(knownStart);
    const knownProof = await knownSrp.prove("Wrong-horse-1");
    const unknownProof = await unknownSrp.prove("Wrong-horse-1");
    const [knownAnswer, knownRefusal] = await work(() => knownSrp.respond(knownProof));
    const [unknownAnswer, unknownRefusal] = await work(() => unknownSrp.respond(unknownProof));
    expect(errorOf(knownRefusal)).toMatchObject({ type: "NotAuthorizedException", message: "Incorrect username or password." });
    expect(errorOf(unknownRefusal)).toEqual(errorOf(knownRefusal));
    expect(knownAnswer).toBeGreaterThan(0);
    expect(unknownAnswer).toBe(knownAnswer);
  });

  it("runs the same password check for an unknown user as for a known one with USER_PASSWORD_AUTH", async () => {
    const known = await createConfirmedUser(emulator);
    const attempt = (USERNAME: string) =>
      call(emulator, "InitiateAuth", { ClientId: state.client.id, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME, PASSWORD: "Wrong-horse-1" } });
    const [knownWork, knownRefusal] = await work(() => attempt(known.email));
    const [unknownWork, unknownRefusal] = await work(() => attempt(freshEmail("ghost")));
    expect(errorOf(unknownRefusal)).toEqual(errorOf(knownRefusal));
    expect(knownWork).toBeGreaterThan(0);
    expect(unknownWork).toBe(knownWork);
    // The right password still signs the known user in.
    const [, signedIn] = await work(() =>
      call(emulator, "InitiateAuth", { ClientId: state.client.id, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: known.email, PASSWORD: password } }),
    );
    expect(signedIn.status).toBe(200);
  });
});
