// Takes the README's screenshots: the production build served against a fresh emulator (as
// the browser tests do, with their own set-up pieces), in headless Chromium.
//   pnpm --filter react-vite screenshots
import { startEmulator } from "@cogkit/emulator";
import { fileURLToPath } from "node:url";
import { runnerImport } from "vite";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = (name) => fileURLToPath(new URL(`../screenshots/${name}.png`, import.meta.url));
// The tests' pieces are TypeScript: Vite loads them.
const load = async (path) => (await runnerImport(new URL(path, import.meta.url).pathname, { root, configFile: false, logLevel: "error" })).module;
const { buildApp, serveApp } = await load("../test/app-server.ts");
const { launchChromium } = await load("../test/chromium.ts");
const { auth, signInPolicy } = await load("../src/auth.ts");
const { runtimeConfigOf, servedAt } = await load("../src/runtime-config.ts");

const email = "ada@example.com";
const password = "Corr3ct-Horse!";

const app = await buildApp();
let runtime;
const site = await serveApp(app.dir, () => runtime);
// As the dev server's emulator (vite.config.ts): devices remembered on the user's say-so.
const emulator = await startEmulator({
  auth: servedAt(auth, site.url),
  quiet: true,
  ...signInPolicy,
  deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true },
});
runtime = runtimeConfigOf(emulator);
const browser = await launchChromium();
try {
  /** Polls `read` until it is true (the app answers asynchronously). */
  const until = async (read) => {
    for (let tries = 0; tries < 300; tries++) {
      if (await read().catch(() => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${read}`);
  };
  const shoot = async (page, name, { fullPage = true } = {}) => {
    // No blinking caret, no hover or focus ring left over from the last click.
    await page.mouse.move(0, 0);
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await page.screenshot({ path: out(name), fullPage });
    console.log(`screenshots/${name}.png`);
  };
  const context = await browser.newContext({ viewport: { width: 800, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const text = (testId) => page.getByTestId(testId).textContent();
  await page.goto(site.url);
  await until(async () => (await text("credentials-kind")) === "guest" && (await text("role")) !== "–");
  await shoot(page, "signed-out");

  await page.getByRole("button", { name: "Create an account" }).click();
  const signUp = page.getByRole("form", { name: "Sign up" });
  await signUp.getByLabel("Email").fill(email);
  // Part-way through: some rules met, some not yet.
  await signUp.getByLabel("Password").fill("corr3ct");
  await shoot(page, "sign-up");

  await signUp.getByLabel("Password").fill(password);
  await signUp.getByRole("button", { name: "Create account" }).click();
  const confirm = page.getByRole("form", { name: "Confirm sign-up" });
  await until(async () => /^\d{6}$/.test(await text("outbox-code")));
  const code = await text("outbox-code");
  await confirm.getByLabel("Code").fill(code === "000000" ? "111111" : "000000");
  await confirm.getByRole("button", { name: "Confirm" }).click();
  await until(() => confirm.getByRole("alert").isVisible());
  await shoot(page, "error");

  await confirm.getByLabel("Code").fill(code);
  await confirm.getByRole("button", { name: "Confirm" }).click();
  const signIn = page.getByRole("form", { name: "Sign in" });
  await until(() => signIn.isVisible());
  await signIn.getByLabel("Password").fill(password);
  await signIn.getByRole("button", { name: "Sign in" }).click();
  await until(async () => (await text("status")) === "signedIn" && (await text("role")) === "Cognito_EmulatorAuth_Role");
  await until(() => page.getByTestId("claims").isVisible());
  await until(async () => (await page.getByRole("region", { name: "Passkeys" }).textContent()).includes("No passkey yet."));
  await until(() => page.getByRole("region", { name: "Devices" }).isVisible());
  await shoot(page, "signed-in");

  // A phone's width: the same page in one column.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.getByRole("button", { name: "Sign out" }).click();
  await until(async () => (await text("status")) === "signedOut" && (await text("credentials-kind")) === "guest");
  await shoot(page, "phone", { fullPage: false });
} finally {
  await browser.close();
  await site.close();
  await emulator.stop();
  await app.remove();
}
