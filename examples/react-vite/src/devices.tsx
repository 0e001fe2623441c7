import { forgetDevice, listDevices, rememberDevice, type UserDevice } from "@cogkit/core";
import { useAuth } from "@cogkit/react";
import { useCallback, useEffect, useState } from "react";
import { BusyButton, ErrorNotice } from "./notices.js";
import { useAction } from "./use-action.js";

/**
 * The user's devices, where the pool tracks them (main.tsx calls `trackDevices`): each with
 * whether it is remembered and whether it is this one; "Remember this device" skips MFA here
 * at the next sign-in, "Forget" signs a lost device out for good. Shows nothing on a pool that
 * tracks no devices (or to a session that may not list them).
 */
export function Devices() {
  const client = useAuth();
  const [devices, setDevices] = useState<UserDevice[]>();
  const { run, error, busy } = useAction();
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
  const act = (action: () => Promise<void>) => () => run(() => action().finally(reload));
  if (!devices || devices.length === 0) return null;
  const current = devices.find((device) => device.current);
  return (
    <section aria-label="Devices" className="card">
      <h2>Devices</h2>
      <ul className="items">
        {devices.map((device) => (
          <li key={device.deviceKey} data-testid="device">
            <span>
              {device.name ?? device.deviceKey}
              <span className="hint">
                {device.current && " (this device)"}
                {device.remembered ? " · remembered" : " · not remembered"}
                {device.lastAuthenticatedAt && ` · last signed in ${device.lastAuthenticatedAt.toLocaleString()}`}
              </span>
            </span>{" "}
            <button type="button" disabled={busy} onClick={act(() => forgetDevice(client, { deviceKey: device.deviceKey }))}>
              Forget
            </button>
          </li>
        ))}
      </ul>
      {current && !current.remembered && (
        <BusyButton type="button" busy={busy} busyLabel="Saving…" onClick={act(() => rememberDevice(client))}>
          Remember this device
        </BusyButton>
      )}
      <ErrorNotice error={error} />
    </section>
  );
}
