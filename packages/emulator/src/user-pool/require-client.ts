import { CognitoError } from "../protocol/cognito-error.js";
import type { ClientModel } from "../emulator-options.js";
import type { EmulatorState } from "../emulator-state.js";

/** The app client named by `ClientId`, or Cognito's ResourceNotFoundException. */
export function requireClient(state: EmulatorState, clientId: string): ClientModel {
  if (clientId !== state.client.id) throw new CognitoError("ResourceNotFoundException", `User pool client ${clientId} does not exist.`);
  return state.client;
}
