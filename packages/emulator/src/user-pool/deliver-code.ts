import { createCode } from "../ids.js";
import type { OutboxKind } from "../control/outbox.js";
import type { EmulatorState } from "../emulator-state.js";
import { maskDestination } from "./mask-destination.js";
import type { UserRecord } from "./user-store.js";

/** Cognito's `CodeDeliveryDetails`. */
export interface CodeDeliveryDetails {
  Destination: string;
  DeliveryMedium: "EMAIL" | "SMS";
  AttributeName: string;
}

/** How long each kind of code stays valid. */
export const codeLifetimeMs: Record<OutboxKind, number> = {
  signUp: 24 * 60 * 60 * 1000,
  verifyAttribute: 24 * 60 * 60 * 1000,
  forgotPassword: 60 * 60 * 1000,
  mfa: 3 * 60 * 1000,
};

/** The attribute a user's verification codes go to: email first, then phone. */
export function deliveryAttribute(user: UserRecord): "email" | "phone_number" | undefined {
  if (user.attributes.get("email")) return "email";
  if (user.attributes.get("phone_number")) return "phone_number";
  return undefined;
}

/**
 * Makes a new code of a kind for a user (replacing the previous one), puts it in the
 * outbox and returns the masked delivery details.
 *
 * @example
 * const details = deliverCode(state, user, "signUp", "email");
 */
export function deliverCode(state: EmulatorState, user: UserRecord, kind: OutboxKind, attributeName: "email" | "phone_number"): CodeDeliveryDetails {
  const to = user.attributes.get(attributeName) ?? "";
  const code = createCode();
  const at = state.clock.now();
  user.codes.set(kind, { code, expiresAt: at + codeLifetimeMs[kind], attributeName });
  const details: CodeDeliveryDetails = {
    Destination: maskDestination(to),
    DeliveryMedium: attributeName === "email" ? "EMAIL" : "SMS",
    AttributeName: attributeName,
  };
  state.outbox.send(
    { code, kind, destination: details.Destination, deliveryMedium: details.DeliveryMedium, attributeName, username: user.username, at },
    [to],
  );
  return details;
}
