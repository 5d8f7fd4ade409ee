/**
 * `npx rt-slo <command>`: baselines, comparisons, history, shard merges and re-rendering, all
 * working from files the reporter wrote (report.json, baselines, history). The CLI never imports
 * from the matchers: it reads data, decides and renders, like the reporter.
 *
 * Exit codes: 0 success, 1 a gate failed (a regression, a NO-GO), 2 bad arguments or input.
 */
import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { CliError, EXIT_USAGE } from './errors';

/** Each command module adds its commands to the program. */
type Register = (program: Command) => void;
const COMMANDS: Register[] = [
  // Commands register here (one module each under src/cli/).
];

export function program(): Command {
  const p = new Command('rt-slo')
    .description('rt-slo-reporter: baselines, regression gates, history, reports and shard merges from report.json')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(p);
  return p;
}

/** Runs the CLI; resolves to the exit code (never calls process.exit itself, so tests can call it). */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync(argv as string[], { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0; argument errors were printed by commander.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof CliError) {
      process.stderr.write(`rt-slo: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`rt-slo: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT_USAGE;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
