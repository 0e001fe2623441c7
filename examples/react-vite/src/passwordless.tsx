import { deletePasskey, isPasskeySupported, listPasskeys, type Passkey, registerPasskey } from "@cogkit/core";
import { useAuth, useUser } from "@cogkit/react";
import { type FormEvent, useEffect, useState } from "react";
import { latestCode } from "./emulator-controls.js";
import { BusyButton, ErrorNotice, FormEnd } from "./notices.js";
import { useAction } from "./use-action.js";

// Passwordless sign-in (Cognito's choice-based sign-in): a passkey, or a code sent by email.
// Cognito needs the username before it can ask for a passkey (no autofill of passkeys without
// one), so the app remembers the last one used here and fills it in.

const lastUsernameKey = "cogkit-example.lastUsername";
const remember = (username: string) => localStorage.setItem(lastUsernameKey, username);

/** Sign-in with a passkey or an emailed code; the account's email is filled in from the last sign-in here. */
export function PasswordlessSignIn({ emulatorUrl }: { emulatorUrl: string | undefined }) {
  const { signIn, confirmSignIn } = useAuth();
  const [codeFor, setCodeFor] = useState<{ email: string; destination: string | undefined }>();
  const [outboxCode, setOutboxCode] = useState<string>();
  const { run, error, setError, clear, busy } = useAction();
  // Which button sent the form, for its busy label.
  const [factor, setFactor] = useState<"EMAIL_OTP" | "WEB_AUTHN">();
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
    setFactor(factor);
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
      <form onSubmit={confirm} onInput={clear} aria-label="Sign-in code" className="card-part">
        <h2>Code sent to {codeFor.destination ?? codeFor.email}</h2>
        {emulatorUrl && (
          <p className="notice notice-info">
            The emulator's outbox has the code <code className="code-from-outbox" data-testid="sign-in-code">{outboxCode ?? "…"}</code>.
          </p>
        )}
        <label className="field">
          Code <input name="code" inputMode="numeric" autoComplete="one-time-code" required />
        </label>
        <FormEnd error={error} busy={busy} busyLabel="Signing in…" label="Sign in">
          <button type="button" onClick={() => (clear(), setCodeFor(undefined))}>
            Back
          </button>
        </FormEnd>
      </form>
    );
  }
  return (
    <form onSubmit={start} onInput={clear} aria-label="Passwordless sign-in" className="card-part">
      <h2>Without a password</h2>
      <label className="field">
        Email <input name="email" type="email" autoComplete="username" defaultValue={localStorage.getItem(lastUsernameKey) ?? ""} required />
      </label>
      <ErrorNotice error={error} />
      <div className="actions">
        {isPasskeySupported() && (
          <BusyButton name="factor" value="passkey" busy={busy} busyLabel={factor === "WEB_AUTHN" ? "Waiting for the passkey…" : "Sign in with a passkey"}>
            Sign in with a passkey
          </BusyButton>
        )}
        <BusyButton name="factor" value="code" busy={busy} busyLabel={factor === "EMAIL_OTP" ? "Sending a code…" : "Email me a code"}>
          Email me a code
        </BusyButton>
      </div>
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
      (caught: unknown) => live && setError(caught),
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
    <section aria-label="Passkeys" className="card">
      <h2>Passkeys</h2>
      <ul data-testid="passkeys" className="items">
        {passkeys?.map((passkey) => (
          <li key={passkey.credentialId}>
            <span>
              {passkey.friendlyName ?? passkey.credentialId} <span className="hint">(added {passkey.createdAt?.toISOString().slice(0, 10) ?? "?"})</span>
            </span>{" "}
            <button type="button" disabled={busy} onClick={() => run(() => deletePasskey(client, { credentialId: passkey.credentialId }).then(() => setVersion((n) => n + 1)))}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      {passkeys?.length === 0 && <p className="hint">No passkey yet.</p>}
      {isPasskeySupported() ? (
        <BusyButton type="button" busy={busy} busyLabel="Waiting for the passkey…" onClick={() => run(add)}>
          Add a passkey
        </BusyButton>
      ) : (
        <p className="hint">This browser (or this address: passkeys need HTTPS or localhost) cannot make passkeys.</p>
      )}
      <ErrorNotice error={error} />
    </section>
  );
}
