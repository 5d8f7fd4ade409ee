/** Hand-built records and Jest results for the reporter's unit tests. */
import type { CollectedRecord } from '../../src/reporter/collect';
import type { JestAggregatedResult, JestFileResult, JestTestCase } from '../../src/reporter/results';
import { RECORD_SCHEMA_VERSION, type SloRecord } from '../../src/types';

export const FILE_A = '/project/tests/a.test.ts';
export const FILE_B = '/project/tests/b.test.ts';

const ENV = {
  cpu: 'Test CPU',
  cores: 2,
  availableParallelism: 2,
  totalMemory: 1,
  node: 'v20.0.0',
  v8: '11',
  platform: 'linux',
  arch: 'x64',
  loadavg: [0, 0, 0] as [number, number, number],
};

let n = 0;

/** A PASS record of `<slo>`: 8.5 ns against a 10 µs target, measured in FILE_A by test `<slo>`. */
export function rec(over: Partial<SloRecord> & { slo: string }): CollectedRecord {
  n++;
  const startedAt = over.startedAt ?? 1_000_000 + n * 10;
  return {
    schema: RECORD_SCHEMA_VERSION,
    id: `100-${n}`,
    ref: `records-100-1.jsonl:${n}`,
    testPath: FILE_A,
    testName: over.slo,
    tier: 'must',
    matcher: 'toRunUnder',
    negated: false,
    unit: 'ns',
    direction: 'lower',
    target: 10_000,
    noGo: 10_000,
    targetText: '10us',
    noGoText: '10us',
    stat: 'p50',
    estimate: 8.5,
    low: 8.2,
    high: 8.8,
    samples: 3000,
    batch: 1000,
    noise: 0.035,
    verdict: 'PASS',
    inconclusive: false,
    passed: true,
    notes: [],
    startedAt,
    endedAt: startedAt + 5,
    worker: '1',
    pid: 100,
    env: ENV,
    ...over,
  } as CollectedRecord;
}

export function tcase(fullName: string, status = 'passed', failureMessages: string[] = []): JestTestCase {
  return { fullName, status, failureMessages };
}

export function file(testFilePath: string, tests: JestTestCase[], testExecError?: { message: string }): JestFileResult {
  return { testFilePath, testResults: tests, testExecError: testExecError ?? null, failureMessage: testExecError ? `  ● Test suite failed to run\n\n    ${testExecError.message}` : null };
}

/** Jest's aggregated result for these files; counts derived from them. */
export function aggregated(files: JestFileResult[], over: Partial<JestAggregatedResult> = {}): JestAggregatedResult {
  const all = files.flatMap((f) => f.testResults);
  return {
    numTotalTestSuites: files.length,
    numTotalTests: all.length,
    numPassedTests: all.filter((t) => t.status === 'passed').length,
    numFailedTests: all.filter((t) => t.status === 'failed').length,
    numPendingTests: all.filter((t) => t.status === 'pending').length,
    numTodoTests: all.filter((t) => t.status === 'todo').length,
    startTime: 1_000_000,
    wasInterrupted: false,
    testResults: files,
    ...over,
  };
}
