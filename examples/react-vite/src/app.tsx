import {
  confirmUserAttribute,
  deleteUser,
  fetchMfaPreference,
  type JwtPayload,
  type MfaPreferenceSettings,
  updateUserAttributes,
} from "@cogkit/core";
import { useAuth, useAuthSelector, useCredentials, useUser } from "@cogkit/react";
import { useCallback, useEffect, useState } from "react";
import { callerArn, roleOf } from "./caller-identity.js";
import { Devices } from "./devices.js";
import { joinGroup, latestCode } from "./emulator-controls.js";
import { BusyButton, describeError, ErrorNotice, FormEnd } from "./notices.js";
import { PasswordRules } from "./password-rules.js";
import { Passkeys, PasswordlessSignIn } from "./passwordless.js";
import { useAction, useSubmit } from "./use-action.js";

interface AppProps {
  /** Set when running against the emulator: the app then shows codes from its outbox. */
  emulatorUrl: string | undefined;
  region: string;
}

type View = { name: "signIn"; notice?: string; email?: string } | { name: "signUp" } | { name: "confirm"; email: string };

/** The session's state in words; the raw `status` stays beside it (the browser tests read it). */
function SessionSummary() {
  const { status, user } = useUser();
  const words =
    status === "initializing"
      ? "Reading the stored session…"
      : status === "signedOut"
        ? "Signed out"
        : `Signed in as ${user?.attributes.email ?? user?.username ?? "…"}${status === "refreshing" ? " (refreshing)" : ""}`;
  return (
    <p className="session">
      <span>{words}</span>
      <code className="raw" data-testid="status" title="The session's status, as useUser() reports it">
        {status}
      </code>
    </p>
  );
}

export function App({ emulatorUrl, region }: AppProps) {
  const { status, user } = useUser();
  const [view, setView] = useState<View>({ name: "signIn" });
  const hostedUi = useHostedUiCallback();
  // Once signed in, the steps before (and their notices) no longer apply.
  const signedIn = Boolean(user);
  const clearHostedUiError = hostedUi.clear;
  useEffect(() => {
    if (!signedIn) return;
    setView({ name: "signIn" });
    clearHostedUiError();
  }, [signedIn, clearHostedUiError]);
  return (
    <>
      <header className="topbar">
        <h1>
          cogkit <span className="brand-sub">· React example</span>
        </h1>
        <SessionSummary />
      </header>
      <main className="page">
        {!user && <ErrorNotice error={hostedUi.error} />}
        {status === "initializing" ? (
          <p className="card">Reading the stored session…</p>
        ) : user ? (
          <Profile emulatorUrl={emulatorUrl} />
        ) : view.name === "signUp" ? (
          <SignUp onDone={(email) => setView({ name: "confirm", email })} onSignIn={() => setView({ name: "signIn" })} />
        ) : view.name === "confirm" ? (
          <Confirm email={view.email} emulatorUrl={emulatorUrl} onDone={() => setView({ name: "signIn", email: view.email, notice: "Account confirmed: sign in." })} />
        ) : (
          <>
            <SignIn {...view} onConfirm={(email) => setView({ name: "confirm", email })} onSignUp={() => setView({ name: "signUp" })} />
            <section className="card" aria-label="Other ways to sign in">
              <PasswordlessSignIn emulatorUrl={emulatorUrl} />
              <HostedUiButtons />
            </section>
          </>
        )}
        <Credentials emulatorUrl={emulatorUrl} region={region} />
      </main>
      <footer className="footer">
        {emulatorUrl ? <>Running against the cogkit emulator at <code>{emulatorUrl}</code>.</> : "Running against Amazon Cognito."}
      </footer>
    </>
  );
}

/**
 * Finishes a hosted-UI sign-in when the hosted UI has just sent the user back here (a no-op
 * on any other page load), then takes `code` and `state` out of the address bar. Strict
 * Mode runs the effect twice: both calls share one exchange.
 */
function useHostedUiCallback(): { error: unknown; clear: () => void } {
  const { completeSignIn } = useAuth();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const cleanUrl = () => history.replaceState(null, "", location.pathname);
    completeSignIn().then(
      (result) => result && cleanUrl(),
      (caught: unknown) => (setError(caught), cleanUrl()),
    );
  }, [completeSignIn]);
  const clear = useCallback(() => setError(undefined), []);
  return { error, clear };
}

function SignUp({ onDone, onSignIn }: { onDone: (email: string) => void; onSignIn: () => void }) {
  const { signUp } = useAuth();
  // Typed so far: the pool's rules show which it meets before anything is sent.
  const [password, setPassword] = useState("");
  const { onSubmit, onInput, error, busy } = useSubmit(async (form) => {
    const email = String(form.get("email"));
    await signUp({ username: email, password: String(form.get("password")), attributes: { email, "custom:is_beta_user": form.get("beta") === "on" } });
    onDone(email);
  });
  return (
    <form onSubmit={onSubmit} onInput={onInput} aria-label="Sign up" className="card">
      <h2>Create an account</h2>
      <label className="field">
        Email <input name="email" type="email" autoComplete="username" required />
      </label>
      <label className="field">
        Password{" "}
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-describedby="password-rules"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      <PasswordRules id="password-rules" password={password} />
      <label className="check">
        <input name="beta" type="checkbox" /> Beta user
      </label>
      <FormEnd error={error} busy={busy} busyLabel="Creating account…" label="Create account" />
      <p className="hint">
        Have an account?{" "}
        <button type="button" className="link" onClick={onSignIn}>
          Sign in
        </button>
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
  const { onSubmit, onInput, error, busy } = useSubmit(async (form) => {
    await confirmSignUp({ username: email, code: String(form.get("code")) });
    onDone();
  });
  const resend = useAction();
  return (
    <form onSubmit={onSubmit} onInput={onInput} aria-label="Confirm sign-up" className="card">
      <h2>Check your email</h2>
      <p>
        We sent a code to <strong>{email}</strong>. Enter it to confirm the account.
      </p>
      {emulatorUrl && (
        <p className="notice notice-info">
          The emulator's outbox has the code <code className="code-from-outbox" data-testid="outbox-code">{outboxCode ?? "…"}</code> (shown only against the emulator).
        </p>
      )}
      <label className="field">
        Code <input name="code" inputMode="numeric" autoComplete="one-time-code" required />
      </label>
      <FormEnd error={error ?? resend.error} busy={busy} busyLabel="Confirming…" label="Confirm">
        <BusyButton
          type="button"
          busy={resend.busy}
          busyLabel="Sending…"
          onClick={() => (onInput(), resend.run(() => resendSignUpCode({ username: email }).then(() => setSent((n) => n + 1))))}
        >
          Send the code again
        </BusyButton>
      </FormEnd>
    </form>
  );
}

function SignIn({ notice, email, onConfirm, onSignUp }: { notice?: string; email?: string; onConfirm: (email: string) => void; onSignUp: () => void }) {
  const { signIn } = useAuth();
  const { onSubmit, onInput, error, setError, busy } = useSubmit(async (form) => {
    const username = String(form.get("email"));
    const { nextStep } = await signIn({ username, password: String(form.get("password")) });
    if (nextStep.type === "confirmSignUp") onConfirm(username);
    else if (nextStep.type !== "done") setError(`This account's next step (“${nextStep.type}”) is not handled by this example.`);
  });
  // The "confirmed" notice is about the step before: it goes once the user types here.
  const [noticeShown, setNoticeShown] = useState(true);
  return (
    <form onSubmit={onSubmit} onInput={() => (onInput(), setNoticeShown(false))} aria-label="Sign in" className="card">
      <h2>Sign in</h2>
      {notice && noticeShown && (
        <p role="status" className="notice notice-info">
          {notice}
        </p>
      )}
      <label className="field">
        Email <input name="email" type="email" autoComplete="username" defaultValue={email} required />
      </label>
      <label className="field">
        Password <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <FormEnd error={error} busy={busy} busyLabel="Signing in…" label="Sign in" />
      <p className="hint">
        New here?{" "}
        <button type="button" className="link" onClick={onSignUp}>
          Create an account
        </button>
      </p>
    </form>
  );
}

/** Sign-in through the user pool's hosted UI: straight to a social provider, or its own page. */
function HostedUiButtons() {
  const { signInWithRedirect } = useAuth();
  // Busy until the page leaves for the hosted UI.
  const { run, error, busy } = useAction();
  const go = (provider?: "Google" | "Apple") => () => run(() => signInWithRedirect({ provider }));
  return (
    <section aria-label="Hosted UI" className="card-part">
      <h3>With another account</h3>
      <div className="stacked-buttons">
        <button type="button" disabled={busy} onClick={go("Google")}>
          Sign in with Google
        </button>
        <button type="button" disabled={busy} onClick={go("Apple")}>
          Sign in with Apple
        </button>
        <button type="button" disabled={busy} onClick={go()}>
          Sign in with the hosted UI
        </button>
      </div>
      <ErrorNotice error={error} />
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
  const joining = useAction();
  const leaving = useAction();
  if (!user) return null;
  // Typed from the schema in auth.ts: `boolean | undefined`, not a string.
  const beta: boolean | undefined = user.attributes["custom:is_beta_user"];
  const join = async () => {
    await joinGroup(emulatorUrl!, user.username, "beta-testers");
    // Group membership is a claim: new tokens carry it.
    await getTokens({ forceRefresh: true });
  };
  return (
    <>
      <section aria-label="Profile" className="card">
        <h2>Your profile</h2>
        <dl className="facts">
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
          <dd>
            <time data-testid="expires" dateTime={expiresAt ? new Date(expiresAt).toISOString() : undefined}>
              {expiresAt ? new Date(expiresAt).toLocaleString() : "…"}
            </time>
          </dd>
        </dl>
        <div className="actions">
          {emulatorUrl && !user.groups.includes("beta-testers") && (
            <BusyButton type="button" busy={joining.busy} busyLabel="Joining…" onClick={() => joining.run(join)}>
              Join “beta-testers” (emulator)
            </BusyButton>
          )}
          <BusyButton type="button" busy={leaving.busy} busyLabel="Signing out…" onClick={() => leaving.run(() => signOut({ redirect: viaHostedUi }))}>
            Sign out
          </BusyButton>
        </div>
        <ErrorNotice error={joining.error ?? leaving.error} />
        <h3>ID token claims</h3>
        {claims ? <ClaimsTable claims={claims} /> : <p className="hint">…</p>}
      </section>
      <Account emulatorUrl={emulatorUrl} />
      <Devices />
      <Passkeys />
    </>
  );
}

// Claims that are times (seconds since 1970), shown as dates.
const timeClaims = new Set(["exp", "iat", "auth_time", "updated_at"]);

/** A claim's value in words: times as dates, booleans as yes/no, lists joined, anything else as JSON. */
function claimText(name: string, value: unknown): string {
  if (typeof value === "number" && timeClaims.has(name)) return `${new Date(value * 1000).toLocaleString()} (${value})`;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join(", ");
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The ID token's claims, one row each. */
function ClaimsTable({ claims }: { claims: JwtPayload }) {
  return (
    <div className="claims-wrap">
      <table className="claims" data-testid="claims">
        <tbody>
          {Object.entries(claims).map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{claimText(name, value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
    <section aria-label="Account" className="card">
      <h2>Account</h2>
      <form onSubmit={save.onSubmit} onInput={save.onInput} aria-label="Edit profile">
        <label className="field">
          Given name <input name="givenName" defaultValue={user.attributes.given_name ?? ""} />
        </label>
        <label className="field">
          Email <input name="email" type="email" defaultValue={user.attributes.email ?? ""} required />
        </label>
        <FormEnd error={save.error} busy={save.busy} busyLabel="Saving…" label="Save" />
      </form>
      {pending && (
        <form onSubmit={confirm.onSubmit} onInput={confirm.onInput} aria-label="Verify email" className="card-part">
          <p>
            A code went to {pending.destination}; {user.attributes.email} stays your email until {pending.email} is verified.
          </p>
          {emulatorUrl && (
            <p className="notice notice-info">
              The emulator's outbox has <code className="code-from-outbox" data-testid="attribute-code">{outboxCode ?? "…"}</code>.
            </p>
          )}
          <label className="field">
            Code <input name="code" inputMode="numeric" autoComplete="one-time-code" required />
          </label>
          <FormEnd error={confirm.error} busy={confirm.busy} busyLabel="Verifying…" label="Verify" />
        </form>
      )}
      <dl className="facts card-part">
        <dt>Multi-factor sign-in</dt>
        <dd data-testid="mfa">
          {mfa ? (mfa.enabled.length > 0 ? mfa.enabled.map((m) => (m === mfa.preferred ? `${m} (preferred)` : m)).join(", ") : "off") : "…"}
        </dd>
      </dl>
      {deleting ? (
        <form onSubmit={remove.onSubmit} aria-label="Delete account" className="card-part">
          <p>This deletes the account for good, and signs you out everywhere.</p>
          <FormEnd error={remove.error} busy={remove.busy} busyLabel="Deleting…" label="Yes, delete my account" kind="danger">
            <button type="button" onClick={() => setDeleting(false)}>
              Keep it
            </button>
          </FormEnd>
        </form>
      ) : (
        <div className="actions card-part">
          <button type="button" className="danger" onClick={() => setDeleting(true)}>
            Delete account…
          </button>
        </div>
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
      (caught: unknown) => live && setArn(`STS refused: ${describeError(caught).text}`),
    );
    return () => {
      live = false;
    };
  }, [credentials, region, emulatorUrl]);
  const words = { loading: "Getting credentials…", ready: "Ready", error: "Failed" }[status];
  return (
    <section aria-label="AWS credentials" className="card">
      <h2>AWS credentials</h2>
      <p className="hint">From the identity pool: a guest's before sign-in, the user's after.</p>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          {words}{" "}
          <code className="raw" data-testid="credentials-status">
            {status}
          </code>
        </dd>
        <dt>Kind</dt>
        <dd data-testid="credentials-kind">{credentials ? (credentials.authenticated ? "authenticated" : "guest") : "–"}</dd>
        <dt>Identity id</dt>
        <dd data-testid="identity-id">{identityId ?? "–"}</dd>
        <dt>Access key id</dt>
        <dd>{credentials?.accessKeyId ?? "–"}</dd>
        <dt>Role (STS GetCallerIdentity)</dt>
        <dd data-testid="role">{arn ? roleOf(arn) : "–"}</dd>
      </dl>
      {status === "error" && <ErrorNotice error={error} />}
    </section>
  );
}
