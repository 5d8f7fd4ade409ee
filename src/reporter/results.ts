/**
 * Jest's side of the join: which tests ran, with what status, and whether every test file ran.
 * Types here are the few fields of Jest's AggregatedResult and GlobalConfig the reporter reads,
 * so the reporter works with Jest 29 and 30 and needs no @jest/* types at the user's side.
 */

/** One test's result (Jest's AssertionResult). */
export interface JestTestCase {
  fullName: string;
  status: string;
  failureMessages?: string[];
  title?: string;
  ancestorTitles?: string[];
}

/**
 * A test's full name as records carry it (describe titles, then the test's title). jest-light-runner
 * reports `fullName` as the bare title, without the describe blocks: rebuild it from the parts.
 */
function fullNameOf(t: JestTestCase): string {
  const ancestors = t.ancestorTitles ?? [];
  if (ancestors.length > 0 && t.title !== undefined && t.fullName === t.title) return [...ancestors, t.title].join(' ');
  return t.fullName;
}

/** One test file's result (Jest's TestResult). */
export interface JestFileResult {
  testFilePath: string;
  testResults: JestTestCase[];
  /** Set when the file failed to run: a compile error, a throw at load, a dead worker. */
  testExecError?: { message?: string } | null;
  failureMessage?: string | null;
}

/** The run's results (Jest's AggregatedResult). */
export interface JestAggregatedResult {
  numTotalTestSuites: number;
  numTotalTests?: number;
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  startTime?: number;
  wasInterrupted?: boolean;
  testResults: JestFileResult[];
}

/** The fields of Jest's GlobalConfig the reporter reads. */
export interface JestGlobalConfig {
  rootDir?: string;
  verbose?: boolean;
  watch?: boolean;
  watchAll?: boolean;
  maxWorkers?: number;
  shard?: { shardIndex: number; shardCount: number } | null;
  /** `--coverage`: the measured code is instrumented, so its figures are inflated. */
  collectCoverage?: boolean;
  /** Normalised `[name, options]` pairs; undefined means Jest's default reporters. */
  reporters?: Array<string | [string, unknown]>;
}

/**
 * A test's status as the matrix shows it. `crashed`: its file failed to run (the worker died,
 * the file threw while loading). `unknown`: no Jest test matches the record.
 */
export type TestStatus = 'passed' | 'failed' | 'skipped' | 'todo' | 'crashed' | 'unknown';

export interface TestRef {
  testPath: string;
  testName: string;
  status: TestStatus;
  /** Why, when it did not pass: the first line of the failure, `timed out`, … */
  reason?: string;
}

/** Worst first: a row lists its tests' statuses, and the summary word is the worst one. */
export const STATUS_ORDER: readonly TestStatus[] = ['crashed', 'failed', 'unknown', 'skipped', 'todo', 'passed'];

/** Characters of a failure message kept as the reason: its first line, cut to fit a note. */
const REASON_CHARS = 160;

function statusOf(jestStatus: string): TestStatus {
  switch (jestStatus) {
    case 'passed':
    case 'focused':
      return 'passed';
    case 'failed':
      return 'failed';
    case 'pending':
    case 'skipped':
    case 'disabled':
      return 'skipped';
    case 'todo':
      return 'todo';
    default:
      return 'unknown';
  }
}

/** ANSI colour codes: Jest colours failure messages when its output is a terminal. */
const ANSI = /\u001b\[[0-9;]*m/g;

/** A matcher hint (`expect(received).toRunUnder(target)`) says which matcher, not why. */
const HINT = /^(\w*Error: )?expect\(/;

function firstLine(text: string): string {
  const lines = text.replace(ANSI, '').split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const line = lines.find((l) => !HINT.test(l)) ?? lines[0] ?? '';
  return line.slice(0, REASON_CHARS);
}

/** Why a failed test failed, in a few words. */
function failureReason(messages: string[] | undefined): string | undefined {
  if (!messages || messages.length === 0) return undefined;
  const all = messages.join('\n');
  if (/Exceeded timeout of/.test(all)) return 'timed out';
  return firstLine(messages[0]);
}

function key(testPath: string, testName: string): string {
  return `${testPath}\u0000${testName}`;
}

/** Looks up tests by file and full name, and by full name alone (a row named after its test). */
export class TestIndex {
  private readonly byKey = new Map<string, TestRef>();
  private readonly byName = new Map<string, TestRef[]>();
  private readonly crashedFiles = new Map<string, string>();
  private readonly files = new Set<string>();

  constructor(results: JestAggregatedResult | undefined) {
    for (const file of results?.testResults ?? []) {
      this.files.add(file.testFilePath);
      if (file.testExecError) this.crashedFiles.set(file.testFilePath, firstLine(file.testExecError.message ?? file.failureMessage ?? 'test file failed to run'));
      for (const t of file.testResults ?? []) {
        const status = statusOf(t.status);
        const fullName = fullNameOf(t);
        const ref: TestRef = { testPath: file.testFilePath, testName: fullName, status };
        if (status === 'failed') ref.reason = failureReason(t.failureMessages);
        const k = key(file.testFilePath, fullName);
        const prev = this.byKey.get(k);
        // Two tests may share a full name in one file: keep the worse status.
        if (!prev || STATUS_ORDER.indexOf(status) < STATUS_ORDER.indexOf(prev.status)) this.byKey.set(k, ref);
        const list = this.byName.get(fullName) ?? [];
        list.push(ref);
        this.byName.set(fullName, list);
      }
    }
  }

  /** The status of the test that wrote a record. */
  lookup(testPath: string, testName: string): TestRef {
    const found = this.byKey.get(key(testPath, testName));
    if (found) return found;
    const crash = this.crashedFiles.get(testPath);
    if (crash !== undefined) return { testPath, testName, status: 'crashed', reason: crash };
    return { testPath, testName, status: 'unknown', reason: this.files.has(testPath) ? 'no Jest test has this name' : 'no Jest result for this file' };
  }

  /** Tests whose full name equals a row's name (the default row name is the test's name). */
  named(name: string): TestRef[] {
    return this.byName.get(name) ?? [];
  }

  /** Files that failed to run, with the first line of why. */
  crashed(): Array<{ testPath: string; reason: string }> {
    return [...this.crashedFiles].map(([testPath, reason]) => ({ testPath, reason }));
  }
}

/** Whether the run covered every test file it was asked to run. */
export interface Completeness {
  /** Every test file ran to the end (none failed to run, none skipped by an interrupt). */
  complete: boolean;
  /** Test files Jest scheduled (for this shard). */
  totalFiles: number;
  /** Test files with a result. */
  ranFiles: number;
  /** Files that failed to run: compile error, throw at load, dead worker. */
  failedToRun: Array<{ testPath: string; reason: string }>;
  /** Interrupted (Ctrl-C in watch mode, or --bail). */
  interrupted: boolean;
  /** Which shard this run covered (`--shard=i/n`), or null. */
  shard: { index: number; count: number } | null;
  tests: { total: number; passed: number; failed: number; skipped: number; todo: number };
  /**
   * Tests that failed (or hit Jest's timeout) without writing a record, in files that measured
   * SLOs or hold a test named after a declared one: each may have been a measurement that never
   * ended, so the run cannot be a clean GO.
   */
  unrecorded?: UnrecordedTest[];
}

/** A failed test that left no record in a file that measures SLOs. */
export interface UnrecordedTest {
  testPath: string;
  testName: string;
  /** It hit Jest's test timeout (a measured call that never settled ends this way). */
  timedOut: boolean;
  reason?: string;
}

/**
 * Failed tests without a record, in files with records or with a test named after a declared
 * SLO. Tests named after a declared row are left out: that row is MISSING and says why.
 */
export function unrecordedTests(
  results: JestAggregatedResult | undefined,
  recorded: Iterable<{ testPath: string; testName: string }>,
  declaredNames: ReadonlySet<string>,
): UnrecordedTest[] {
  const keys = new Set<string>();
  const sloFiles = new Set<string>();
  for (const r of recorded) {
    keys.add(key(r.testPath, r.testName));
    sloFiles.add(r.testPath);
  }
  const out: UnrecordedTest[] = [];
  for (const file of results?.testResults ?? []) {
    const cases = file.testResults ?? [];
    if (!sloFiles.has(file.testFilePath) && !cases.some((t) => declaredNames.has(fullNameOf(t)))) continue;
    for (const t of cases) {
      const fullName = fullNameOf(t);
      if (statusOf(t.status) !== 'failed' || declaredNames.has(fullName) || keys.has(key(file.testFilePath, fullName))) continue;
      const reason = failureReason(t.failureMessages);
      out.push({ testPath: file.testFilePath, testName: fullName, timedOut: reason === 'timed out', reason });
    }
  }
  return out;
}

export function completeness(results: JestAggregatedResult | undefined, index: TestIndex, config: JestGlobalConfig, unrecorded: UnrecordedTest[] = []): Completeness {
  const failedToRun = index.crashed();
  const totalFiles = results?.numTotalTestSuites ?? 0;
  const ranFiles = results?.testResults.length ?? 0;
  const interrupted = results?.wasInterrupted === true;
  const shard = config.shard ? { index: config.shard.shardIndex, count: config.shard.shardCount } : null;
  return {
    complete: !interrupted && failedToRun.length === 0 && ranFiles >= totalFiles,
    totalFiles,
    ranFiles,
    failedToRun,
    interrupted,
    shard,
    tests: {
      total: results?.numTotalTests ?? 0,
      passed: results?.numPassedTests ?? 0,
      failed: results?.numFailedTests ?? 0,
      skipped: results?.numPendingTests ?? 0,
      todo: results?.numTodoTests ?? 0,
    },
    unrecorded,
  };
}
