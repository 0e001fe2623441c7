import { type FormEvent, useState } from "react";

/**
 * Runs one action at a time: `busy` while it runs (buttons show it), its failure kept as
 * `error` until the next run or `clear()` — which forms call as soon as the user edits a
 * field, so a notice never outlives what it was about.
 */
export function useAction() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    action()
      .catch((caught: unknown) => setError(caught))
      .finally(() => setBusy(false));
  };
  return { run, error, setError, clear: () => setError(undefined), busy };
}

/** {@link useAction} for a form: `onSubmit` runs the action with the form's data, `onInput` clears the error. */
export function useSubmit(action: (form: FormData) => Promise<void>) {
  const { run, ...state } = useAction();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    run(() => action(form));
  };
  return { onSubmit, onInput: state.clear, ...state };
}
