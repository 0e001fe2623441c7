import { redirect } from "next/navigation";
import { readOnlyServer } from "../../lib/server-session";

/** Rendered on the server with the verified claims of the user (the proxy refreshed them if due). */
export default async function Account() {
  const session = await (await readOnlyServer()).getSession();
  if (!session) redirect("/sign-in");
  const { payload } = session.tokens.idToken;
  return (
    <main>
      <h1>Account</h1>
      <dl>
        <dt>Email</dt>
        <dd data-testid="email">{String(payload.email)}</dd>
        <dt>User id (sub)</dt>
        <dd data-testid="sub">{String(payload.sub)}</dd>
        <dt>Id token expires</dt>
        <dd data-testid="exp">{new Date(Number(payload.exp) * 1000).toISOString()}</dd>
      </dl>
      <form method="post" action="/auth/sign-out" aria-label="Sign out">
        <button type="submit">Sign out</button>
      </form>
    </main>
  );
}
