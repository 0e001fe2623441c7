import type { EmulatorState } from "../emulator-state.js";
import { adminAddUserToGroup } from "./admin-add-user-to-group.js";
import { adminCreateUser } from "./admin-create-user.js";
import { associateSoftwareToken, verifySoftwareToken } from "./software-token.js";
import { setUserMFAPreference } from "./set-user-mfa-preference.js";
import { changePassword } from "./change-password.js";
import { confirmForgotPassword } from "./confirm-forgot-password.js";
import { confirmSignUp } from "./confirm-sign-up.js";
import { forgotPassword } from "./forgot-password.js";
import { getTokensFromRefreshToken } from "./get-tokens-from-refresh-token.js";
import { getUser } from "./get-user.js";
import { globalSignOut } from "./global-sign-out.js";
import { initiateAuth } from "./initiate-auth.js";
import { resendConfirmationCode } from "./resend-confirmation-code.js";
import { respondToAuthChallenge } from "./respond-to-auth-challenge.js";
import { revokeToken } from "./revoke-token.js";
import { signUp } from "./sign-up.js";
import { deleteUser } from "./delete-user.js";
import { confirmDevice } from "./confirm-device.js";
import { forgetDevice, getDevice, listDevices, updateDeviceStatus } from "./device-operations.js";
import { deleteUserAttributes } from "./delete-user-attributes.js";
import { setUserSettings } from "./set-user-settings.js";
import { updateUserAttributes } from "./update-user-attributes.js";
import { getUserAttributeVerificationCode, verifyUserAttribute } from "./user-attribute-verification.js";
import { getUserAuthFactors } from "./get-user-auth-factors.js";
import { deleteWebAuthnCredential, listWebAuthnCredentials } from "./webauthn-credentials.js";
import { completeWebAuthnRegistration, startWebAuthnRegistration } from "./webauthn-registration.js";

/** One operation of a JSON 1.1 service: the parsed body in, the answer body out. */
export type ServiceOperation = (input: Record<string, unknown>, state: EmulatorState) => Promise<unknown>;

/** A service the emulator speaks, found by the `X-Amz-Target` prefix. */
export interface EmulatedService {
  targetPrefix: string;
  operations: Readonly<Record<string, ServiceOperation>>;
}

/**
 * The Cognito User Pool service (`AWSCognitoIdentityProviderService.*`).
 *
 * @example
 * createEmulatorHandler(state, [userPoolService]);
 */
export const userPoolService: EmulatedService = {
  targetPrefix: "AWSCognitoIdentityProviderService",
  operations: {
    SignUp: signUp,
    ConfirmSignUp: confirmSignUp,
    ResendConfirmationCode: resendConfirmationCode,
    InitiateAuth: initiateAuth,
    RespondToAuthChallenge: respondToAuthChallenge,
    GetTokensFromRefreshToken: getTokensFromRefreshToken,
    GetUser: getUser,
    GlobalSignOut: globalSignOut,
    RevokeToken: revokeToken,
    ForgotPassword: forgotPassword,
    ConfirmForgotPassword: confirmForgotPassword,
    ChangePassword: changePassword,
    AdminAddUserToGroup: adminAddUserToGroup,
    AdminCreateUser: adminCreateUser,
    AssociateSoftwareToken: associateSoftwareToken,
    VerifySoftwareToken: verifySoftwareToken,
    SetUserMFAPreference: setUserMFAPreference,
    UpdateUserAttributes: updateUserAttributes,
    GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
    VerifyUserAttribute: verifyUserAttribute,
    DeleteUserAttributes: deleteUserAttributes,
    DeleteUser: deleteUser,
    SetUserSettings: setUserSettings,
    ConfirmDevice: confirmDevice,
    UpdateDeviceStatus: updateDeviceStatus,
    ListDevices: listDevices,
    GetDevice: getDevice,
    ForgetDevice: forgetDevice,
    GetUserAuthFactors: getUserAuthFactors,
    StartWebAuthnRegistration: startWebAuthnRegistration,
    CompleteWebAuthnRegistration: completeWebAuthnRegistration,
    ListWebAuthnCredentials: listWebAuthnCredentials,
    DeleteWebAuthnCredential: deleteWebAuthnCredential,
  },
};
