export { createAwsSdkTransport } from "./transport/aws-sdk-transport.js";
export type { AwsSdkTransportOptions } from "./transport/aws-sdk-transport.js";
