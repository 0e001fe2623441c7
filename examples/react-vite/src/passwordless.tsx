import { deletePasskey, isAuthError, isPasskeySupported, listPasskeys, type Passkey, registerPasskey } from "@cogkit/core";
import { useAuth, useUser } from "@cogkit/react";
import { type FormEvent, useEffect, useState } from "react";
import { latestCode } from "./emulator-controls.js";

// Passwordless sign-in (Cognito's choice-based sign-in): a passkey, or a code sent by email.
// Cognito needs the username before it can ask for a passkey (no autofill of passkeys without
// one), so the app remembers the last one used here and fills it in.

const lastUsernameKey = "cogkit-example.lastUsername";
const message = (error: unknown) => (isAuthError(error) ? `${error.code}: ${error.message}` : String(error));
const remember = (username: string) => localStorage.setItem(lastUsernameKey, username);

/** Runs one action at a time: `busy` while it runs, its failure as `error`. */
function useAction() {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    action()
      .catch((caught: unknown) => setError(message(caught)))
      .finally(() => setBusy(false));
  };
  return { run, error, setError, busy };
}

/** Sign-in with a passkey or an emailed code; the account's email is filled in from the last sign-in here. */
export function PasswordlessSignIn({ emulatorUrl }: { emulatorUrl: string | undefined }) {
  const { signIn, confirmSignIn } = useAuth();
  const [codeFor, setCodeFor] = useState<{ email: string; destination: string | undefined }>();
  const [outboxCode, setOutboxCode] = useState<string>();
  const { run, error, setError, busy } = useAction();
  useEffect(() => {
    if (!emulatorUrl || !codeFor) return;
    let live = true;
    void latestCode(emulatorUrl, codeFor.email).then((code) => live && setOutboxCode(code));
    return () => {
      live = false;
    };
  }, [emulatorUrl, codeFor]);
  const start = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const email = String(new FormData(form).get("email"));
    // Which button sent the form.
    const factor = ((event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value === "code" ? "EMAIL_OTP" : "WEB_AUTHN";
    run(async () => {
      // WEB_AUTHN: the browser asks for the passkey within this call.
      const { nextStep } = await signIn({ username: email, flow: "choice", preferredChallenge: factor });
      if (nextStep.type === "emailOtp") setCodeFor({ email, destination: nextStep.codeDelivery.destination });
      else if (nextStep.type === "done") remember(email);
      else setError(`Next step “${nextStep.type}”: this account cannot sign in that way.`);
    });
  };
  const confirm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code"));
    run(async () => {
      const { nextStep } = await confirmSignIn({ challengeResponse: code });
      if (nextStep.type === "done") remember(codeFor!.email);
    });
  };
  if (codeFor) {
    return (
      <form onSubmit={confirm} aria-label="Sign-in code">
        <h2>Code sent to {codeFor.destination ?? codeFor.email}</h2>
        {emulatorUrl && (
          <p>
            The emulator's outbox has the code <code data-testid="sign-in-code">{outboxCode ?? "…"}</code>.
          </p>
        )}
        <label>
          Code <input name="code" inputMode="numeric" autoComplete="one-time-code" required />
        </label>
        <button disabled={busy}>Sign in</button>
        <button type="button" onClick={() => setCodeFor(undefined)}>
          Back
        </button>
        {error && <p role="alert">{error}</p>}
      </form>
    );
  }
  return (
    <form onSubmit={start} aria-label="Passwordless sign-in">
      <h2>Without a password</h2>
      <label>
        Email <input name="email" type="email" autoComplete="username" defaultValue={localStorage.getItem(lastUsernameKey) ?? ""} required />
      </label>
      {isPasskeySupported() && (
        <button name="factor" value="passkey" disabled={busy}>
          Sign in with a passkey
        </button>
      )}
      <button name="factor" value="code" disabled={busy}>
        Email me a code
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

/** The signed-in user's passkeys: add one (on this device), delete one. */
export function Passkeys() {
  const client = useAuth();
  const { user } = useUser();
  const [passkeys, setPasskeys] = useState<Passkey[]>();
  // Bumped after each change, to list the passkeys again.
  const [version, setVersion] = useState(0);
  const { run, error, setError, busy } = useAction();
  useEffect(() => {
    let live = true;
    listPasskeys(client).then(
      (list) => live && setPasskeys(list),
      (caught: unknown) => live && setError(message(caught)),
    );
    return () => {
      live = false;
    };
  }, [client, version]);
  const add = async () => {
    await registerPasskey(client);
    // The next passkey sign-in here needs the username: fill it in.
    if (user?.attributes.email) remember(String(user.attributes.email));
    setVersion((n) => n + 1);
  };
  return (
    <section aria-label="Passkeys">
      <h3>Passkeys</h3>
      <ul data-testid="passkeys">
        {passkeys?.map((passkey) => (
          <li key={passkey.credentialId}>
            {passkey.friendlyName ?? passkey.credentialId} ({passkey.createdAt?.toISOString().slice(0, 10) ?? "?"}){" "}
            <button type="button" disabled={busy} onClick={() => run(() => deletePasskey(client, { credentialId: passkey.credentialId }).then(() => setVersion((n) => n + 1)))}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      {passkeys?.length === 0 && <p>No passkey yet.</p>}
      {isPasskeySupported() ? (
        <button type="button" disabled={busy} onClick={() => run(add)}>
          Add a passkey
        </button>
      ) : (
        <p>This browser (or this address: passkeys need HTTPS or localhost) cannot make passkeys.</p>
      )}
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
