import { forgetDevice, isAuthError, listDevices, rememberDevice, type UserDevice } from "@cogkit/core";
import { useAuth } from "@cogkit/react";
import { useCallback, useEffect, useState } from "react";

const message = (error: unknown) => (isAuthError(error) ? `${error.code}: ${error.message}` : String(error));

/**
 * The user's devices, where the pool tracks them (main.tsx calls `trackDevices`): each with
 * whether it is remembered and whether it is this one; "Remember this device" skips MFA here
 * at the next sign-in, "Forget" signs a lost device out for good. Shows nothing on a pool that
 * tracks no devices (or to a session that may not list them).
 */
export function Devices() {
  const client = useAuth();
  const [devices, setDevices] = useState<UserDevice[]>();
  const [error, setError] = useState<string>();
  const reload = useCallback(
    () =>
      listDevices(client).then(
        ({ devices: found }) => setDevices(found),
        // A hosted-UI sign-in without the aws.cognito.signin.user.admin scope may not list them.
        () => setDevices([]),
      ),
    [client],
  );
  useEffect(() => void reload(), [reload]);
  const act = (action: () => Promise<void>) => async () => {
    setError(undefined);
    await action().catch((caught: unknown) => setError(message(caught)));
    await reload();
  };
  if (!devices || devices.length === 0) return null;
  const current = devices.find((device) => device.current);
  return (
    <section aria-label="Devices">
      <h3>Devices</h3>
      <ul>
        {devices.map((device) => (
          <li key={device.deviceKey} data-testid="device">
            {device.name ?? device.deviceKey}
            {device.current && " (this device)"}
            {device.remembered ? " · remembered" : " · not remembered"}
            {device.lastAuthenticatedAt && ` · last signed in ${device.lastAuthenticatedAt.toLocaleString()}`}{" "}
            <button type="button" onClick={act(() => forgetDevice(client, { deviceKey: device.deviceKey }))}>
              Forget
            </button>
          </li>
        ))}
      </ul>
      {current && !current.remembered && (
        <button type="button" onClick={act(() => rememberDevice(client))}>
          Remember this device
        </button>
      )}
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
