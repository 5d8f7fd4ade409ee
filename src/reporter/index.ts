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
import { fingerprint } from '../env';
import { clearRecords, collect } from './collect';
import { decide } from './decide';
import { resolveOptions, type ResolvedOptions } from './options';
import { findOverlaps } from './overlap';
import { colorEnabled, DEFAULT_WIDTH, render } from './render';
import { REPORT_SCHEMA_VERSION, toReportRecord, writeReport, type ReportRecord, type SloReport } from './report';
import { completeness, TestIndex, type JestAggregatedResult, type JestGlobalConfig } from './results';
import { buildRows } from './rows';

/** Prefix of run folders in the OS temp folder. */
const RUN_DIR_PREFIX = 'rt-slo-';

/** Reporters after which Jest prints its summary (Jest adds the summary reporter last). */
const SUMMARY_REPORTERS = ['default', 'summary', 'agent'];

/** Run folders to remove, and matrices still to print, when the process exits. */
const atExit = { dirs: new Set<string>(), pending: new Set<{ text: string; printed: boolean }>(), hooked: false };

function hookExit(): void {
  if (atExit.hooked) return;
  atExit.hooked = true;
  process.once('exit', () => {
    // --forceExit ends the process before a deferred print: print it now (sync write).
    for (const p of atExit.pending) if (!p.printed) process.stderr.write(p.text);
    for (const dir of atExit.dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
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
    this.options = resolveOptions(options, this.config.rootDir ?? process.cwd());
    this.watch = this.config.watch === true || this.config.watchAll === true;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), RUN_DIR_PREFIX));
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
      // A bug here must not turn into a silent pass.
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
    const run = completeness(results, tests, this.config);
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
export type { TestStatus, TestRef } from './results';
export type { BadLine } from './collect';

/** The terminal's width; off a TTY (CI logs, pipes) the COLUMNS variable if set, else 80. */
function terminalWidth(stream: NodeJS.WriteStream): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env >= 40 ? env : DEFAULT_WIDTH;
}
