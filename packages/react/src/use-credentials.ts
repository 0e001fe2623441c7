import { type AwsCredentials, getCredentials } from "@cogkit/core";
import { useEffect, useState } from "react";
import { useAuthSelector, useAuthStore } from "./use-auth-selector.js";

/**
 * What {@link useCredentials} returns.
 *
 * @example
 * const { status, credentials, error }: CredentialsState = useCredentials();
 */
export interface CredentialsState {
  /** `loading` until the first answer for the current user (or guest), then `ready` or `error`. */
  status: "loading" | "ready" | "error";
  credentials: AwsCredentials | undefined;
  identityId: string | undefined;
  error: unknown;
}

const loading: CredentialsState = { status: "loading", credentials: undefined, identityId: undefined, error: undefined };
// Renew a little after the core's cache turns them stale (5 minutes before `expiration`).
const renewBeforeMs = 5 * 60_000 - 1_000;

/**
 * AWS credentials of whoever is signed in, or a guest's before sign-in when the identity
 * pool allows guests. Fetched again when the user changes (sign-in, sign-out, here or in
 * another tab) and before they expire; a token refresh alone does not refetch.
 *
 * @example
 * const { status, credentials, identityId } = useCredentials();
 * if (status === "ready") s3 = new S3Client({ region, credentials });
 */
export function useCredentials(): CredentialsState {
  const { client } = useAuthStore();
  // Whose credentials: undefined while the stored session is being read, "" for a guest.
  const who = useAuthSelector((s) => (s.status === "initializing" ? undefined : (s.user?.userId ?? "")));
  const [state, setState] = useState<{ who: string | undefined; value: CredentialsState }>({ who, value: loading });
  useEffect(() => {
    if (who === undefined) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const credentials = await getCredentials(client);
        if (!live) return;
        setState({ who, value: { status: "ready", credentials, identityId: credentials.identityId, error: undefined } });
        const delay = credentials.expiration.getTime() - Date.now() - renewBeforeMs;
        timer = setTimeout(load, Math.min(Math.max(delay, 1_000), 2 ** 31 - 1));
      } catch (error) {
        if (live) setState({ who, value: { status: "error", credentials: undefined, identityId: undefined, error } });
      }
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, who]);
  // Another user's credentials are never shown, not even for the render before the effect.
  return state.who === who ? state.value : loading;
}
