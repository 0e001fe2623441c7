/**
 * The AWS SDK v3 transport: `createAwsSdkTransport`.
 *
 * @module @cogkit/core/aws-sdk
 */
export * from "../../packages/core/src/aws-sdk.js";
