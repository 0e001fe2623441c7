import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { writeFile } from "node:fs/promises";
import { createEmulator, startEmulator, type EmulatorOptions } from "../src/index.js";
import { runCli, useEmulatorCli } from "./cli-bundle.js";

// Options as a developer types them, or as JSON gives them: typos and wrong types must be
// named, not silently ignored.
const refused = (options: unknown) => startEmulator(options as EmulatorOptions);

describe("the emulator's options", () => {
  it("refuse an unknown option, naming it and the known ones", async () => {
    await expect(refused({ regoin: "eu-west-1" })).rejects.toThrow(/^regoin is not a known setting \(known options: auth, state, /);
    await expect(createEmulator({ url: "http://cognito.test", clientSecrets: true } as EmulatorOptions & { url: string })).rejects.toThrow(TypeError);
  });

  it("refuse unknown settings inside, with the path to them", async () => {
    await expect(refused({ auth: { loginWith: { emial: true } } })).rejects.toThrow(/^auth\.loginWith\.emial is not a known setting \(known in auth\.loginWith: email, phone, username, externalProviders\)/);
    await expect(refused({ auth: { passwordPolicy: { minLenght: 10 } } })).rejects.toThrow(/^auth\.passwordPolicy\.minLenght is not a known setting/);
    await expect(refused({ tokenValidity: { access: 300 } })).rejects.toThrow(/^tokenValidity\.access is not a known setting/);
    await expect(refused({ identityPool: { allowGuests: false } })).rejects.toThrow(/^identityPool\.allowGuests is not a known setting/);
    await expect(refused({ limits: { maxBody: 10 } })).rejects.toThrow(/^limits\.maxBody is not a known setting/);
    await expect(refused({ groupRoles: { ADMINS: { arn: "x" } } })).rejects.toThrow(/^groupRoles\["ADMINS"\]\.arn is not a known setting/);
  });

  it("refuse settings of the wrong type, naming them", async () => {
    await expect(refused({ quiet: "yes" })).rejects.toThrow('quiet must be a boolean, got "yes"');
    await expect(refused({ preventUserExistenceErrors: 1 })).rejects.toThrow("preventUserExistenceErrors must be a boolean, got 1");
    await expect(refused({ refreshTokenRotation: { enabled: "true" } })).rejects.toThrow('refreshTokenRotation.enabled must be a boolean, got "true"');
    await expect(refused({ auth: { multifactor: { mode: "ON", totp: true } } })).rejects.toThrow('auth.multifactor.mode must be one of "OFF", "OPTIONAL", "REQUIRED", got "ON"');
    await expect(refused({ auth: { passwordPolicy: { requireSymbols: "no" } } })).rejects.toThrow('auth.passwordPolicy.requireSymbols must be a boolean, got "no"');
    await expect(refused({ identityPool: true })).rejects.toThrow("identityPool must be false or an object, got true");
    await expect(refused({ log: "console" })).rejects.toThrow('log must be a function, got "console"');
    await expect(refused({ allowedOrigins: "http://localhost:3000" })).rejects.toThrow('allowedOrigins must be a list, got "http://localhost:3000"');
    await expect(refused(null)).rejects.toThrow("the emulator's options must be an object, got null");
  });

  it("accept every option documented, and a whole client config as auth", async () => {
    const emulator = await startEmulator({
      auth: { loginWith: { email: true }, region: "eu-west-1", userPoolId: "eu-west-1_Whole1", userPoolClientId: "wholeclient", userPoolEndpoint: "http://127.0.0.1:1/" },
      identityPool: { allowUnauthenticated: false },
      tokenValidity: { accessSeconds: 300 },
      refreshTokenRotation: { enabled: true, gracePeriodSeconds: 10 },
      deviceTracking: { challengeRequiredOnNewDevice: true },
      limits: { maxBodyBytes: 65536 },
      quiet: true,
      log: () => undefined,
    });
    try {
      expect(emulator.config).toMatchObject({ userPoolId: "eu-west-1_Whole1", userPoolEndpoint: emulator.url });
    } finally {
      await emulator.stop();
    }
  });
});

describe("cogkit-emulator --config", () => {
  const cli = useEmulatorCli();

  it("names an unknown key of the config file", async () => {
    const file = join(cli.dir, "typo.json");
    await writeFile(file, JSON.stringify({ loginWith: { email: true }, passwordPolicy: { minLenght: 12 } }));
    await expect(runCli(cli.bundle, ["--config", file]).waitFor(/never/)).rejects.toThrow(`--config ${file}: passwordPolicy.minLenght is not a known setting (known in passwordPolicy: minLength,`);
  });

  it("names a config file that is not JSON", async () => {
    const file = join(cli.dir, "broken.json");
    await writeFile(file, "{ loginWith: ");
    await expect(runCli(cli.bundle, ["--config", file]).waitFor(/never/)).rejects.toThrow(`--config ${file}: not valid JSON`);
  });
});
