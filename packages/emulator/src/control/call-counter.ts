/** Counts calls per operation, faulted and failed ones included. */
export interface CallCounter {
  record(operation: string): void;
  count(operation: string): number;
  all(): Record<string, number>;
  reset(): void;
}

/**
 * Creates the counter behind `callCount(operation)`.
 *
 * @example
 * const calls = createCallCounter();
 * calls.record("SignUp");
 * calls.count("SignUp"); // 1
 */
export function createCallCounter(): CallCounter {
  const counts = new Map<string, number>();
  return {
    record: (operation) => void counts.set(operation, (counts.get(operation) ?? 0) + 1),
    count: (operation) => counts.get(operation) ?? 0,
    all: () => Object.fromEntries(counts),
    reset: () => counts.clear(),
  };
}
