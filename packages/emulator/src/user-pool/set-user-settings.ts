import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import { createInputValidator } from "../protocol/validate-input.js";
import type { EmulatorState } from "../emulator-state.js";
import { authenticateAccessToken } from "./get-user.js";
import { checkCanEnable } from "./set-user-mfa-preference.js";

function readOptions(input: Record<string, unknown>): Array<{ DeliveryMedium?: unknown; AttributeName?: unknown }> | undefined {
  const value = input.MFAOptions;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((o) => typeof o !== "object" || o === null || Array.isArray(o))) {
    throw new CognitoError("SerializationException", "Unexpected value type for 'mFAOptions': expected a list of MFAOptionType");
  }
  return value as Array<{ DeliveryMedium?: unknown; AttributeName?: unknown }>;
}

/**
 * `SetUserSettings`, the legacy way to turn SMS MFA on (`[{ DeliveryMedium: "SMS",
 * AttributeName: "phone_number" }]`) or off (`[]`); Cognito configures nothing else with it.
 */
export async function setUserSettings(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const options = readOptions(input);
  if (options === undefined) v.problem("Value null at 'mFAOptions' failed to satisfy constraint: Member must not be null");
  options?.forEach((o, i) => {
    if (o.DeliveryMedium !== undefined && o.DeliveryMedium !== "SMS" && o.DeliveryMedium !== "EMAIL") {
      v.problem(`Value '${String(o.DeliveryMedium)}' at 'mFAOptions.${i + 1}.member.deliveryMedium' failed to satisfy constraint: Member must satisfy enum value set: [SMS, EMAIL]`);
    }
  });
  v.throwIfInvalid();
  const user = await authenticateAccessToken(input, state);
  for (const o of options!) {
    if (o.DeliveryMedium !== "SMS" || o.AttributeName !== "phone_number") {
      throw invalidParameter("Only SMS MFA to phone_number can be set with MFAOptions; use SetUserMFAPreference");
    }
  }
  const mfa = (user.mfa ??= { enabled: new Set(), preferred: undefined });
  if (options!.length > 0) {
    checkCanEnable(state, user, "SMS_MFA");
    mfa.enabled.add("SMS_MFA");
    user.legacySmsMfa = true;
  } else {
    mfa.enabled.delete("SMS_MFA");
    if (mfa.preferred === "SMS_MFA") mfa.preferred = undefined;
    user.legacySmsMfa = false;
  }
  user.updatedAt = state.clock.now();
  return {};
}
