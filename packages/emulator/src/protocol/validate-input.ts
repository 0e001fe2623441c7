import { CognitoError } from "./cognito-error.js";

/** Constraints of one string member, as the service model declares them. */
export interface StringConstraints {
  required?: boolean;
  /** Sensitive members (usernames, passwords, tokens) are never echoed in messages. */
  sensitive?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: { source: string; test: (value: string) => boolean };
  oneOf?: readonly string[];
}

/** Patterns with the text Cognito prints for them. */
export const patterns = {
  username: { source: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+", test: (v: string) => /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u.test(v) },
  clientId: { source: "[\\w+]+", test: (v: string) => /^[\w+]+$/.test(v) },
  code: { source: "[\\S]+", test: (v: string) => /^\S+$/.test(v) },
  password: { source: "[\\S]+.*[\\S]+", test: (v: string) => /^\S+.*\S+$/su.test(v) || /^\S$/.test(v) },
  token: { source: "[A-Za-z0-9-_=.]+", test: (v: string) => /^[A-Za-z0-9\-_=.]+$/.test(v) },
};

/**
 * Reads an operation's input members and collects AWS-style validation errors, so one
 * answer lists them all ("2 validation errors detected: ...") as the real service does.
 *
 * @example
 * const v = createInputValidator(body);
 * const clientId = v.string("ClientId", "clientId", { required: true, pattern: patterns.clientId });
 * v.throwIfInvalid();
 */
export function createInputValidator(input: Record<string, unknown>) {
  const problems: string[] = [];

  function string(member: string, path: string, constraints: StringConstraints & { required: true }): string;
  function string(member: string, path: string, constraints?: StringConstraints): string | undefined;
  function string(member: string, path: string, constraints: StringConstraints = {}): string | undefined {
    const value = input[member];
    if (value === undefined || value === null) {
      if (constraints.required) problems.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (typeof value !== "string") {
      throw new CognitoError("SerializationException", `Unexpected value type for '${path}': expected a string`);
    }
    const shown = constraints.sensitive ? "Value at" : `Value '${value}' at`;
    const fail = (constraint: string) => problems.push(`${shown} '${path}' failed to satisfy constraint: ${constraint}`);
    const length = [...value].length;
    if (constraints.minLength !== undefined && length < constraints.minLength) {
      fail(`Member must have length greater than or equal to ${constraints.minLength}`);
    } else if (constraints.maxLength !== undefined && length > constraints.maxLength) {
      fail(`Member must have length less than or equal to ${constraints.maxLength}`);
    } else if (constraints.pattern && !constraints.pattern.test(value)) {
      fail(`Member must satisfy regular expression pattern: ${constraints.pattern.source}`);
    } else if (constraints.oneOf && !constraints.oneOf.includes(value)) {
      fail(`Member must satisfy enum value set: [${constraints.oneOf.join(", ")}]`);
    }
    return value;
  }

  function stringMap(member: string, path: string, required = false): Record<string, string> | undefined {
    const value = input[member];
    if (value === undefined || value === null) {
      if (required) problems.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (typeof value !== "object" || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "string" && v !== null)) {
      throw new CognitoError("SerializationException", `Unexpected value type for '${path}': expected a map of strings`);
    }
    return Object.fromEntries(Object.entries(value as Record<string, string | null>).filter(([, v]) => v !== null)) as Record<string, string>;
  }

  function attributeList(member: string, path: string): Array<{ Name: string; Value: string }> | undefined {
    const value = input[member];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw new CognitoError("SerializationException", `Unexpected value type for '${path}': expected a list`);
    return value.map((item, index) => {
      if (typeof item !== "object" || item === null || typeof item.Name !== "string") {
        problems.push(`Value null at '${path}.${index + 1}.member.name' failed to satisfy constraint: Member must not be null`);
        return { Name: "", Value: "" };
      }
      if (item.Value !== undefined && item.Value !== null && typeof item.Value !== "string") {
        throw new CognitoError("SerializationException", `Unexpected value type for '${path}.${index + 1}.member.value'`);
      }
      return { Name: item.Name as string, Value: (item.Value as string | undefined) ?? "" };
    });
  }

  /** Records a problem found by the operation's own checks (map sizes and the like). */
  function problem(text: string): void {
    problems.push(text);
  }

  function throwIfInvalid(): void {
    if (problems.length === 0) return;
    const count = problems.length === 1 ? "1 validation error detected" : `${problems.length} validation errors detected`;
    throw new CognitoError("InvalidParameterException", `${count}: ${problems.join("; ")}`);
  }

  return { string, stringMap, attributeList, problem, throwIfInvalid };
}
