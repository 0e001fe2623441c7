import {
  confirmUserAttribute,
  deleteUser,
  fetchMfaPreference,
  isAuthError,
  type JwtPayload,
  type MfaPreferenceSettings,
  updateUserAttributes,
} from "@cogkit/core";
import { useAuth, useAuthSelector, useCredentials, useUser } from "@cogkit/react";
import { type FormEvent, useEffect, useState } from "react";
import { callerArn, roleOf } from "./caller-identity.js";
import { Devices } from "./devices.js";
import { joinGroup, latestCode } from "./emulator-controls.js";
import { Passkeys, PasswordlessSignIn } from "./passwordless.js";

interface AppProps {
  /** Set when running against the emulator: the app then shows codes from its outbox. */
  emulatorUrl: string | undefined;
  region: string;
}

type View = { name: "signIn"; notice?: string; email?: string } | { name: "signUp" } | { name: "confirm"; email: string };

const message = (error: unknown) => (isAuthError(error) ? `${error.code}: ${error.message}` : String(error));

export function App({ emulatorUrl, region }: AppProps) {
  const { status, user } = useUser();
  const [view, setView] = useState<View>({ name: "signIn" });
  const hostedUiError = useHostedUiCallback();
  return (
    <main>
      <header>
        <h1>cogkit · React</h1>
        <p>
          Status: <strong data-testid="status">{status}</strong>
        </p>
      </header>
      {hostedUiError && <p role="alert">{hostedUiError}</p>}
      <Credentials emulatorUrl={emulatorUrl} region={region} />
      {status === "initializing" ? (
        <p>Reading the stored session…</p>
      ) : user ? (
        <Profile emulatorUrl={emulatorUrl} />
      ) : view.name === "signUp" ? (
        <SignUp onDone={(email) => setView({ name: "confirm", email })} onSignIn={() => setView({ name: "signIn" })} />
      ) : view.name === "confirm" ? (
        <Confirm email={view.email} emulatorUrl={emulatorUrl} onDone={() => setView({ name: "signIn", email: view.email, notice: "Account confirmed: sign in." })} />
      ) : (
        <>
          <SignIn {...view} onConfirm={(email) => setView({ name: "confirm", email })} onSignUp={() => setView({ name: "signUp" })} />
          <PasswordlessSignIn emulatorUrl={emulatorUrl} />
        </>
      )}
    </main>
  );
}

/**
 * Finishes a hosted-UI sign-in when the hosted UI has just sent the user back here (a no-op
 * on any other page load), then takes `code` and `state` out of the address bar. Strict
 * Mode runs the effect twice: both calls share one exchange.
 */
function useHostedUiCallback(): string | undefined {
  const { completeSignIn } = useAuth();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const cleanUrl = () => history.replaceState(null, "", location.pathname);
    completeSignIn().then(
      (result) => result && cleanUrl(),
      (caught: unknown) => (setError(message(caught)), cleanUrl()),
    );
  }, [completeSignIn]);
  return error;
}

function useSubmit(action: (form: FormData) => Promise<void>) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action(new FormData(event.currentTarget));
    } catch (caught) {
      setError(message(caught));
    } finally {
      setBusy(false);
    }
  };
  return { onSubmit, error, busy };
}

function SignUp({ onDone, onSignIn }: { onDone: (email: string) => void; onSignIn: () => void }) {
  const { signUp } = useAuth();
  const { onSubmit, error, busy } = useSubmit(async (form) => {
    const email = String(form.get("email"));
    await signUp({ username: email, password: String(form.get("password")), attributes: { email, "custom:is_beta_user": form.get("beta") === "on" } });
    onDone(email);
  });
  return (
    <form onSubmit={onSubmit} aria-label="Sign up">
      <h2>Sign up</h2>
      <label>
        Email <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="new-password" required />
      </label>
      <label>
        <input name="beta" type="checkbox" /> Beta user
      </label>
      <button disabled={busy}>Create account</button>
      {error && <p role="alert">{error}</p>}
      <p>
        Have an account? <button type="button" onClick={onSignIn}>Sign in</button>
      </p>
    </form>
  );
}

function Confirm({ email, emulatorUrl, onDone }: { email: string; emulatorUrl: string | undefined; onDone: () => void }) {
  const { confirmSignUp, resendSignUpCode } = useAuth();
  const [outboxCode, setOutboxCode] = useState<string>();
  const [sent, setSent] = useState(0);
  useEffect(() => {
    if (!emulatorUrl) return;
    let live = true;
    void latestCode(emulatorUrl, email).then((code) => live && setOutboxCode(code));
    return () => {
      live = false;
    };
  }, [emulatorUrl, email, sent]);
  const { onSubmit, error, busy } = useSubmit(async (form) => {
    await confirmSignUp({ username: email, code: String(form.get("code")) });
    onDone();
  });
  return (
    <form onSubmit={onSubmit} aria-label="Confirm sign-up">
      <h2>Confirm {email}</h2>
      {emulatorUrl && (
        <p>
          The emulator's outbox has the code <code data-testid="outbox-code">{outboxCode ?? "…"}</code> (shown only against the emulator).
        </p>
      )}
      <label>
        Code <input name="code" inputMode="numeric" autoComplete="one-time-code" required />
      </label>
      <button disabled={busy}>Confirm</button>
      <button type="button" onClick={() => void resendSignUpCode({ username: email }).then(() => setSent((n) => n + 1))}>
        Send the code again
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

function SignIn({ notice, email, onConfirm, onSignUp }: { notice?: string; email?: string; onConfirm: (email: string) => void; onSignUp: () => void }) {
  const { signIn } = useAuth();
  const [step, setStep] = useState<string>();
  const { onSubmit, error, busy } = useSubmit(async (form) => {
    const username = String(form.get("email"));
    const { nextStep } = await signIn({ username, password: String(form.get("password")) });
    if (nextStep.type === "confirmSignUp") onConfirm(username);
    else if (nextStep.type !== "done") setStep(nextStep.type);
  });
  return (
    <>
      <form onSubmit={onSubmit} aria-label="Sign in">
        <h2>Sign in</h2>
        {notice && <p role="status">{notice}</p>}
        <label>
          Email <input name="email" type="email" autoComplete="username" defaultValue={email} required />
        </label>
        <label>
          Password <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button disabled={busy}>Sign in</button>
        {step && <p role="alert">Next step “{step}” is not handled by this example.</p>}
        {error && <p role="alert">{error}</p>}
        <p>
          New here? <button type="button" onClick={onSignUp}>Create an account</button>
        </p>
      </form>
      <HostedUiButtons />
    </>
  );
}

/** Sign-in through the user pool's hosted UI: straight to a social provider, or its own page. */
function HostedUiButtons() {
  const { signInWithRedirect } = useAuth();
  const [error, setError] = useState<string>();
  const go = (provider?: "Google" | "Apple") => () => void signInWithRedirect({ provider }).catch((caught: unknown) => setError(message(caught)));
  return (
    <section aria-label="Hosted UI">
      <button type="button" onClick={go("Google")}>
        Sign in with Google
      </button>{" "}
      <button type="button" onClick={go("Apple")}>
        Sign in with Apple
      </button>{" "}
      <button type="button" onClick={go()}>
        Sign in with the hosted UI
      </button>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}

function Profile({ emulatorUrl }: { emulatorUrl: string | undefined }) {
  const { user } = useUser();
  const client = useAuth();
  const { signOut, getTokens } = client;
  const isAdmin = useAuthSelector((s) => s.user?.groups.includes("admins") ?? false);
  const [claims, setClaims] = useState<JwtPayload>();
  const [expiresAt, setExpiresAt] = useState<number>();
  // Tokens from the hosted UI carry the OAuth scopes (`openid`...): signing out then also
  // ends the hosted UI's session, so the next hosted-UI sign-in asks again.
  const [viaHostedUi, setViaHostedUi] = useState(false);
  // The snapshot stays the same object across a refresh (same user), so new tokens, here or
  // from another tab, are read on the client's `tokenRefreshed` event.
  useEffect(() => {
    let live = true;
    const read = () =>
      void getTokens().then(
        (tokens) =>
          live &&
          (setClaims(tokens.idToken.payload),
          setExpiresAt(tokens.expiresAt),
          setViaHostedUi(String(tokens.accessToken.payload.scope).split(" ").includes("openid"))),
        () => {},
      );
    read();
    const unsubscribe = client.subscribe((event) => event.type === "tokenRefreshed" && read());
    return () => {
      live = false;
      unsubscribe();
    };
  }, [client, getTokens, user]);
  if (!user) return null;
  // Typed from the schema in auth.ts: `boolean | undefined`, not a string.
  const beta: boolean | undefined = user.attributes["custom:is_beta_user"];
  const join = async () => {
    await joinGroup(emulatorUrl!, user.username, "beta-testers");
    // Group membership is a claim: new tokens carry it.
    await getTokens({ forceRefresh: true });
  };
  return (
    <section aria-label="Profile">
      <h2>Profile</h2>
      <dl>
        <dt>Email</dt>
        <dd data-testid="email">{user.attributes.email}</dd>
        <dt>Username</dt>
        <dd>{user.username}</dd>
        <dt>User id (sub)</dt>
        <dd data-testid="user-id">{user.userId}</dd>
        <dt>Groups</dt>
        <dd data-testid="groups">{user.groups.length > 0 ? user.groups.join(", ") : "none"}</dd>
        <dt>Admin</dt>
        <dd>{isAdmin ? "yes" : "no"}</dd>
        <dt>Beta user</dt>
        <dd data-testid="beta">{beta === undefined ? "not set" : beta ? "yes" : "no"}</dd>
        <dt>Tokens expire</dt>
        <dd data-testid="expires">{expiresAt ? new Date(expiresAt).toISOString() : "…"}</dd>
      </dl>
      <h3>ID token claims</h3>
      <pre data-testid="claims">{claims ? JSON.stringify(claims, null, 2) : "…"}</pre>
      {emulatorUrl && !user.groups.includes("beta-testers") && (
        <button type="button" onClick={() => void join()}>
          Join “beta-testers” (emulator)
        </button>
      )}
      <button type="button" onClick={() => void signOut({ redirect: viaHostedUi })}>
        Sign out
      </button>
      <Account emulatorUrl={emulatorUrl} />
      <Devices />
      <Passkeys />
    </section>
  );
}

/**
 * The account: the user's name and email (a new email waits for the code sent to it, the old
 * one staying in use until then), their MFA methods, and deleting the account.
 */
function Account({ emulatorUrl }: { emulatorUrl: string | undefined }) {
  const client = useAuth();
  const { user } = useUser();
  const [mfa, setMfa] = useState<MfaPreferenceSettings>();
  // The new email waiting for its code, and where the code went.
  const [pending, setPending] = useState<{ email: string; destination: string }>();
  const [outboxCode, setOutboxCode] = useState<string>();
  const [deleting, setDeleting] = useState(false);
  useEffect(() => {
    let live = true;
    fetchMfaPreference(client).then(
      (settings) => live && setMfa(settings),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client]);
  useEffect(() => {
    if (!emulatorUrl || !pending || !user) return;
    let live = true;
    void latestCode(emulatorUrl, user.username).then((code) => live && setOutboxCode(code));
    return () => {
      live = false;
    };
  }, [emulatorUrl, pending, user]);
  const save = useSubmit(async (form) => {
    const givenName = String(form.get("givenName"));
    const email = String(form.get("email"));
    const changes: { given_name?: string; email?: string } = {};
    if (givenName !== (user?.attributes.given_name ?? "")) changes.given_name = givenName;
    if (email !== user?.attributes.email) changes.email = email;
    const result = await updateUserAttributes(client, { attributes: changes });
    // Shown at once: the tokens were refreshed, so `useUser()` has the new name already.
    if (result.email && !result.email.done) setPending({ email, destination: result.email.codeDelivery.destination ?? email });
  });
  const confirm = useSubmit(async (form) => {
    await confirmUserAttribute(client, { attribute: "email", code: String(form.get("code")) });
    setPending(undefined);
    setOutboxCode(undefined);
  });
  const remove = useSubmit(async () => {
    await deleteUser(client);
  });
  if (!user) return null;
  return (
    <section aria-label="Account">
      <h3>Account</h3>
      <form onSubmit={save.onSubmit} aria-label="Edit profile">
        <label>
          Given name <input name="givenName" defaultValue={user.attributes.given_name ?? ""} />
        </label>
        <label>
          Email <input name="email" type="email" defaultValue={user.attributes.email ?? ""} required />
        </label>
        <button disabled={save.busy}>Save</button>
        {save.error && <p role="alert">{save.error}</p>}
      </form>
      {pending && (
        <form onSubmit={confirm.onSubmit} aria-label="Verify email">
          <p>
            A code went to {pending.destination}; {user.attributes.email} stays your email until {pending.email} is verified.
            {emulatorUrl && (
              <>
                {" "}
                The emulator's outbox has <code data-testid="attribute-code">{outboxCode ?? "…"}</code>.
              </>
            )}
          </p>
          <label>
            Code <input name="code" inputMode="numeric" autoComplete="one-time-code" required />
          </label>
          <button disabled={confirm.busy}>Verify</button>
          {confirm.error && <p role="alert">{confirm.error}</p>}
        </form>
      )}
      <p>
        MFA:{" "}
        <span data-testid="mfa">
          {mfa ? (mfa.enabled.length > 0 ? mfa.enabled.map((m) => (m === mfa.preferred ? `${m} (preferred)` : m)).join(", ") : "off") : "…"}
        </span>
      </p>
      {deleting ? (
        <form onSubmit={remove.onSubmit} aria-label="Delete account">
          <p>This deletes the account for good, and signs you out everywhere.</p>
          <button disabled={remove.busy}>Yes, delete my account</button>
          <button type="button" onClick={() => setDeleting(false)}>
            Keep it
          </button>
          {remove.error && <p role="alert">{remove.error}</p>}
        </form>
      ) : (
        <button type="button" onClick={() => setDeleting(true)}>
          Delete account…
        </button>
      )}
    </section>
  );
}

function Credentials({ emulatorUrl, region }: { emulatorUrl: string | undefined; region: string }) {
  const { status, credentials, identityId, error } = useCredentials();
  const [arn, setArn] = useState<string>();
  useEffect(() => {
    setArn(undefined);
    if (!credentials) return;
    let live = true;
    callerArn(credentials, region, emulatorUrl).then(
      (value) => live && setArn(value),
      (caught: unknown) => live && setArn(`STS refused: ${message(caught)}`),
    );
    return () => {
      live = false;
    };
  }, [credentials, region, emulatorUrl]);
  return (
    <section aria-label="AWS credentials">
      <h2>AWS credentials</h2>
      <dl>
        <dt>Status</dt>
        <dd data-testid="credentials-status">{status}</dd>
        <dt>Kind</dt>
        <dd data-testid="credentials-kind">{credentials ? (credentials.authenticated ? "authenticated" : "guest") : "–"}</dd>
        <dt>Identity id</dt>
        <dd data-testid="identity-id">{identityId ?? "–"}</dd>
        <dt>Access key id</dt>
        <dd>{credentials?.accessKeyId ?? "–"}</dd>
        <dt>Role (STS GetCallerIdentity)</dt>
        <dd data-testid="role">{arn ? roleOf(arn) : "–"}</dd>
      </dl>
      {status === "error" && <p role="alert">{message(error)}</p>}
    </section>
  );
}
