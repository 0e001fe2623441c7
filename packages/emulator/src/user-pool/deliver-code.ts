import { createCode } from "../ids.js";
import { isEmail } from "./attribute-schema.js";
import type { OutboxKind } from "../control/outbox.js";
import type { EmulatorState } from "../emulator-state.js";
import { maskDestination } from "./mask-destination.js";
import type { CodeSlot, UserRecord } from "./user-store.js";

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
  signIn: 3 * 60 * 1000,
};

/** The attribute a user's verification codes go to: email first, then phone. */
export function deliveryAttribute(user: UserRecord): "email" | "phone_number" | undefined {
  if (user.attributes.get("email")) return "email";
  if (user.attributes.get("phone_number")) return "phone_number";
  return undefined;
}

/**
 * Where a password-reset code may go: a verified email first, then a verified phone
 * (Cognito's default account recovery order). An unverified one never receives it.
 */
export function recoveryAttribute(user: UserRecord): "email" | "phone_number" | undefined {
  for (const name of ["email", "phone_number"] as const) {
    if (user.attributes.get(name) && user.attributes.get(`${name}_verified`) === "true") return name;
  }
  return undefined;
}

/**
 * Delivery details for a user who does not exist, shaped by what was typed: so that, with
 * PreventUserExistenceErrors, the answer looks like a real user's and nothing is sent.
 *
 * @example
 * simulatedDelivery("ghost@example.com"); // { Destination: "g***@e***", DeliveryMedium: "EMAIL", ... }
 */
export function simulatedDelivery(login: string): CodeDeliveryDetails {
  const email = isEmail(login);
  return {
    Destination: maskDestination(email ? login : "+10000000000"),
    DeliveryMedium: email ? "EMAIL" : "SMS",
    AttributeName: email ? "email" : "phone_number",
  };
}

/** Where a user's pending code of a kind (and, for attribute verification, attribute) is kept. */
export const codeSlot = (kind: OutboxKind, attributeName: string): CodeSlot =>
  kind === "verifyAttribute" ? `verifyAttribute:${attributeName}` : kind;

/**
 * Makes a new code of a kind for a user (replacing the previous one), puts it in the
 * outbox and returns the masked delivery details. `to` overrides the address (a new
 * email waiting for verification).
 *
 * @example
 * const details = deliverCode(state, user, "signUp", "email");
 */
export function deliverCode(
  state: EmulatorState,
  user: UserRecord,
  kind: OutboxKind,
  attributeName: "email" | "phone_number",
  to: string = user.attributes.get(attributeName) ?? "",
): CodeDeliveryDetails {
  const code = createCode();
  const at = state.clock.now();
  user.codes.set(codeSlot(kind, attributeName), { code, expiresAt: at + codeLifetimeMs[kind], attributeName });
  const details: CodeDeliveryDetails = {
    Destination: maskDestination(to),
    DeliveryMedium: attributeName === "email" ? "EMAIL" : "SMS",
    AttributeName: attributeName,
  };
  state.outbox.send(
    { code, kind, destination: details.Destination, deliveryMedium: details.DeliveryMedium, attributeName, username: user.username, at },
    // Findable by any of the user's logins, e.g. an SMS code by the email they sign in with.
    [to, ...(["email", "phone_number"] as const).flatMap((name) => user.attributes.get(name) ?? [])],
  );
  return details;
}
