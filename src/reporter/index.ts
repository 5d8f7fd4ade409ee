/**
 * The rt-slo-reporter Jest reporter: collect → join → rows → decide → render / report.json.
 *
 * Jest constructs reporters before it forks its workers, so the constructor creates the run
 * folder and publishes it in RT_SLO_RUN_DIR: every worker inherits it, and every matcher
 * appends its records there (DESIGN.md). The folder keeps one path for the reporter's life,
 * because in watch mode Jest keeps its workers (and their environment) across runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { version } from '../../package.json';
import { RUN_DIR_ENV } from '../constants';
import { publishDeclarations } from '../declarations';
import { DEFAULT_OUTPUT_DIR, pseudoRoot } from './options';
import { fingerprint } from '../env';
import { clearRecords, collect } from './collect';
import { decide } from './decide';
import { resolveOptions, type ResolvedOptions } from './options';
import { findOverlaps } from './overlap';
import { colorEnabled, DEFAULT_WIDTH, render } from './render';
import { REPORT_FILE, REPORT_SCHEMA_VERSION, toReportRecord, writeReport, type ReportRecord, type SloReport } from './report';
import { completeness, TestIndex, unrecordedTests, type JestAggregatedResult, type JestGlobalConfig } from './results';
import { buildRows } from './rows';

/** Prefix of run folders in the OS temp folder: `rt-slo-<pid>-<random>`, so a dead run's folder can be told apart. */
const RUN_DIR_PREFIX = 'rt-slo-';
const RUN_DIR_RE = /^rt-slo-(\d+)-[A-Za-z0-9]+$/;

/** Reporters after which Jest prints its summary (Jest adds the summary reporter last). */
const SUMMARY_REPORTERS = ['default', 'summary', 'agent'];

/** Signals on which the run folder is removed before the process ends as Node would end it. */
const CLEANUP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Run folders to remove, and matrices still to print, when the process exits. */
const atExit = { dirs: new Set<string>(), pending: new Set<{ text: string; printed: boolean }>(), hooked: false };

function removeRunDirs(): void {
  for (const dir of atExit.dirs) fs.rmSync(dir, { recursive: true, force: true });
  atExit.dirs.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeRunDirs();
  process.removeListener(signal, onSignal);
  // Someone else handles the signal (Jest in watch mode): let them decide. Otherwise re-raise
  // it with no listener left, so the process ends exactly as Node's default would (exit 130/143).
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function hookExit(): void {
  if (atExit.hooked) return;
  atExit.hooked = true;
  process.once('exit', () => {
    // --forceExit ends the process before a deferred print: print it now (sync write).
    for (const p of atExit.pending) if (!p.printed) process.stderr.write(p.text);
    removeRunDirs();
  });
  for (const signal of CLEANUP_SIGNALS) process.on(signal, onSignal);
}

/** Whether process `pid` is alive: signal 0 checks without sending; EPERM means it is, under another user. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes run folders left by reporters whose process died (killed, or a signal Node cannot catch). */
export function removeStaleRunDirs(tmp = os.tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = RUN_DIR_RE.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    try {
      fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // another run cleaned it, or it is not ours to remove
    }
  }
  return removed;
}

/**
 * Removes a report.json left by an earlier run, so a run that is refused or dies before
 * onRunComplete never leaves the previous report looking current (CI uploads it with `if: always()`).
 */
function removeOldReport(dir: string): void {
  if (pseudoRoot(dir)) return;
  try {
    fs.rmSync(path.join(dir, REPORT_FILE), { force: true });
  } catch {
    // unreadable folder: the option check reports it
  }
}

/** The output folder a configuration names, even when the rest of it is refused. */
function outputDirOf(options: unknown, rootDir: string): string {
  const o = options as { outputDir?: unknown } | null | undefined;
  const given = o !== null && typeof o === 'object' && typeof o.outputDir === 'string' && o.outputDir.length > 0 ? o.outputDir : DEFAULT_OUTPUT_DIR;
  return path.resolve(rootDir, given);
}

function summaryFollows(reporters: JestGlobalConfig['reporters']): boolean {
  if (reporters === undefined) return true;
  return reporters.some((r) => SUMMARY_REPORTERS.includes(Array.isArray(r) ? r[0] : r));
}

export default class SloReporter {
  private readonly config: JestGlobalConfig;
  private readonly options: ResolvedOptions;
  private readonly dir: string;
  private readonly watch: boolean;
  private runNumber = 0;
  private runStartedAt = Date.now();
  private lastError: Error | undefined;
  private report: SloReport | undefined;

  /** Jest calls `new Reporter(globalConfig, reporterOptions, reporterContext)`. */
  constructor(globalConfig?: JestGlobalConfig, options?: unknown, _context?: unknown) {
    this.config = globalConfig ?? {};
    const rootDir = this.config.rootDir ?? process.cwd();
    try {
      this.options = resolveOptions(options, rootDir);
    } catch (e) {
      removeOldReport(outputDirOf(options, rootDir));
      throw e;
    }
    removeOldReport(this.options.outputDir);
    this.watch = this.config.watch === true || this.config.watchAll === true;
    removeStaleRunDirs();
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${RUN_DIR_PREFIX}${process.pid}-`));
    process.env[RUN_DIR_ENV] = this.dir;
    publishDeclarations(this.dir, this.options.slos);
    hookExit();
    atExit.dirs.add(this.dir);
  }

  /** The run folder matchers write to (also in process.env.RT_SLO_RUN_DIR). */
  get runDir(): string {
    return this.dir;
  }

  /** The last run's report (what report.json holds), once a run has completed. */
  get lastReport(): SloReport | undefined {
    return this.report;
  }

  /** A new run (every watch-mode run too) starts from an empty matrix. */
  onRunStart(): void {
    this.runNumber++;
    this.runStartedAt = Date.now();
    this.lastError = undefined;
    this.report = undefined;
    removeOldReport(this.options.outputDir);
    if (fs.existsSync(this.dir)) clearRecords(this.dir);
    else {
      // Something (a temp cleaner, an earlier onRunComplete) removed it: recreate it as it was.
      fs.mkdirSync(this.dir, { recursive: true });
      publishDeclarations(this.dir, this.options.slos);
    }
  }

  onRunComplete(_contexts?: unknown, results?: JestAggregatedResult): void {
    if (this.runNumber === 0) this.runNumber = 1;
    let text: string;
    try {
      const report = this.buildReport(results);
      let reportFile: string | undefined;
      let reportError: string | undefined;
      try {
        reportFile = writeReport(this.options.outputDir, report);
      } catch (e) {
        reportError = (e as Error).message;
      }
      this.report = report;
      const d = report.decision;
      if (reportError) this.lastError = new Error(`rt-slo-reporter: could not write report.json: ${reportError}`);
      else if (d.failsRun) this.lastError = new Error(`rt-slo-reporter: ${d.verdict}${d.reasons.length > 0 ? ` — ${d.reasons.join('; ')}` : ''}`);
      const stream = process.stderr;
      text = render(report, {
        width: terminalWidth(stream),
        color: colorEnabled(stream),
        verbose: this.options.verbose ?? this.config.verbose ?? false,
        cwd: process.cwd(),
        reportFile,
        reportError,
      });
    } catch (e) {
      // A bug here must not turn into a silent pass, nor leave an old report looking current.
      removeOldReport(this.options.outputDir);
      this.lastError = new Error(`rt-slo-reporter: internal error while building the matrix: ${(e as Error).stack ?? String(e)}`);
      text = `\n${this.lastError.message}\n`;
    }
    if (!this.watch) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      atExit.dirs.delete(this.dir);
    }
    this.print(text);
  }

  getLastError(): Error | undefined {
    return this.lastError;
  }

  /** After Jest's summary: the summary reporter runs after us, so print once it is done. */
  private print(text: string): void {
    if (!summaryFollows(this.config.reporters)) {
      process.stderr.write(text);
      return;
    }
    const pending = { text, printed: false };
    atExit.pending.add(pending);
    setImmediate(() => {
      if (!pending.printed) process.stderr.write(text);
      pending.printed = true;
      atExit.pending.delete(pending);
    });
  }

  private buildReport(results: JestAggregatedResult | undefined): SloReport {
    const { records, bad } = collect(this.dir);
    records.sort((a, b) => a.startedAt - b.startedAt);
    const tests = new TestIndex(results);
    const overlap = findOverlaps(records);
    const overlapped = new Set(overlap.records);
    const { rows, configErrors } = buildRows(records, this.options.slos, tests, overlapped);
    const run = completeness(results, tests, this.config, unrecordedTests(results, records, new Set(Object.keys(this.options.slos))));
    const decision = decide({ rows, completeness: run, configErrors: configErrors.length, failOn: this.options.failOn });
    const machine = fingerprint();
    // The records were read for this report alone: tag them in place rather than copy them.
    const reportRecords: ReportRecord[] = records.map((r) => toReportRecord(r, { testStatus: tests.lookup(r.testPath, r.testName).status, overlapped: overlapped.has(r.ref) }, machine));
    const detected = overlap.records.length > 0;
    return {
      schemaVersion: REPORT_SCHEMA_VERSION,
      tool: { name: 'rt-slo-reporter', version },
      createdAt: new Date().toISOString(),
      run: {
        startedAt: results?.startTime ?? this.runStartedAt,
        endedAt: Date.now(),
        rootDir: this.config.rootDir ?? process.cwd(),
        runNumber: this.runNumber,
        watch: this.watch,
        maxWorkers: this.config.maxWorkers ?? null,
        fingerprint: machine,
        instrumented: this.config.collectCoverage === true,
        ...run,
      },
      options: { failOn: this.options.failOn, outputDir: this.options.outputDir, verbose: this.options.verbose ?? this.config.verbose ?? false },
      declarations: this.options.slos,
      decision,
      rows,
      records: reportRecords,
      problems: {
        configErrors,
        badLines: bad,
        overlap: {
          detected,
          records: overlap.records,
          workers: overlap.workers,
          message: detected
            ? `${overlap.records.length} measurement${overlap.records.length === 1 ? '' : 's'} in ${overlap.workers.length} Jest workers ran at the same time as measurements in other workers: they competed for the same cores and disturbed each other, so their numbers are unreliable. Run performance suites serially: jest --runInBand (or maxWorkers: 1).`
            : null,
        },
      },
    };
  }
}

export { SloReporter };
export type { SloReporterOptions, FailOn } from './options';
export type { SloReport, ReportRecord } from './report';
export type { SloRow, RowVerdict, ConfigError } from './rows';
export type { Decision, DecisionVerdict, TierCounts } from './decide';
export type { TestStatus, TestRef, UnrecordedTest } from './results';
export type { BadLine } from './collect';

/** The terminal's width; off a TTY (CI logs, pipes) the COLUMNS variable if set, else 80. */
function terminalWidth(stream: NodeJS.WriteStream): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env >= 40 ? env : DEFAULT_WIDTH;
}
