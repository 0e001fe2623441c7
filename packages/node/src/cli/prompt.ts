import { createInterface } from "node:readline";

/**
 * Asks one question on the terminal (the prompt on stderr, so stdout stays for output);
 * with `hidden`, what is typed is not echoed.
 *
 * @example
 * const password = await ask(io, "Password: ", { hidden: true });
 */
export function ask(
  io: { stdin: NodeJS.ReadableStream; stderr: { write(text: string): unknown } },
  question: string,
  options: { hidden?: boolean } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const output = io.stderr as NodeJS.WritableStream;
    const rl = createInterface({ input: io.stdin, output, terminal: true });
    let muted = false;
    // readline echoes through _writeToOutput; muting it after the question hides the answer.
    const internals = rl as unknown as { _writeToOutput(text: string): void };
    internals._writeToOutput = (text: string) => {
      if (!muted) output.write(text);
    };
    rl.question(question, (answer) => {
      if (options.hidden) output.write("\n");
      rl.close();
      resolve(answer);
    });
    muted = options.hidden === true;
    rl.once("SIGINT", () => {
      rl.close();
      reject(new Error("cancelled"));
    });
  });
}
