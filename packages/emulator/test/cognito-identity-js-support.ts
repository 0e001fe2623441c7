import { CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import type { Emulator } from "../src/index.js";

/**
 * amazon-cognito-identity-js as one browser would run it against the emulator: a pool and
 * users sharing one in-memory storage, where the library keeps its sessions and device keys
 * (returned too, for tests that read what the library left there).
 */
export function cognitoIdentityJs(emulator: Emulator) {
  const items = new Map<string, string>();
  const storage = {
    setItem: (key: string, value: string) => void items.set(key, value),
    getItem: (key: string) => items.get(key) ?? null,
    removeItem: (key: string) => void items.delete(key),
    clear: () => items.clear(),
    keys: () => [...items.keys()],
  };
  const pool = new CognitoUserPool({ UserPoolId: emulator.config.userPoolId, ClientId: emulator.config.userPoolClientId, endpoint: emulator.url, Storage: storage });
  return { pool, storage, user: (username: string) => new CognitoUser({ Username: username, Pool: pool, Storage: storage }) };
}
