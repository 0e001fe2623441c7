const prompts: Record<string, string> = {
  newPasswordRequired: "Choose a new password",
  smsCode: "Code sent by SMS",
  emailCode: "Code sent by email",
  totpCode: "Code from your authenticator app",
};

/** The step a sign-in stopped at (its state is in an encrypted httpOnly cookie). */
export default async function Step({ searchParams }: { searchParams: Promise<{ type?: string; error?: string }> }) {
  const { type = "", error } = await searchParams;
  return (
    <main>
      <h1>{prompts[type] ?? "One more step"}</h1>
      {error ? <p role="alert">That did not work ({error})</p> : null}
      <form method="post" action="/auth/step" aria-label="Sign-in step">
        <label>
          Answer <input name="answer" type={type === "newPasswordRequired" ? "password" : "text"} required />
        </label>
        <button type="submit">Continue</button>
      </form>
    </main>
  );
}
