/** Exit codes of `rt-slo`: 0 success, 1 a gate failed, 2 bad arguments or unreadable input. */
export const EXIT_OK = 0;
export const EXIT_GATE = 1;
export const EXIT_USAGE = 2;

/** An error the CLI prints as one line (no stack) before exiting with `exitCode`. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE) {
    super(message);
    this.name = 'CliError';
  }
}
