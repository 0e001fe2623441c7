// Calls to the emulator's HTTP control API. Only for the demo against the emulator: a real
// user pool sends codes by email or SMS and has no such API.

export async function latestCode(emulatorUrl: string, username: string): Promise<string | undefined> {
  const response = await fetch(`${emulatorUrl}/_emulator/outbox/latest?username=${encodeURIComponent(username)}`);
  if (!response.ok) return undefined;
  const message = (await response.json()) as { code?: string };
  return message.code;
}

export async function joinGroup(emulatorUrl: string, username: string, group: string): Promise<void> {
  const response = await fetch(`${emulatorUrl}/_emulator/groups`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, group }),
  });
  if (!response.ok) throw new Error(`joining ${group} failed: ${response.status}`);
}
