/** The `cogkit` command's exit codes, as `--help` and the README list them. */
export const exitCodes = {
  ok: 0,
  /** Anything else: network, service, file system. */
  failed: 1,
  /** Wrong arguments or settings, or a prompt needed without a terminal. */
  usage: 2,
  /** Nobody is signed in (or the session ended) and no user is configured. */
  notSignedIn: 3,
  /** Cognito refused the sign-in (wrong password or code, unconfirmed user, an unknown step). */
  signInRefused: 4,
  /** Sign-in needs a further step (new password, MFA) and there is no terminal to ask. */
  stepNeedsTerminal: 5,
} as const;
