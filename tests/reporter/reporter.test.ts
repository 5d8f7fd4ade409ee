import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RUN_DIR_ENV } from '../../src/constants';
import { declarations } from '../../src/declarations';
import { writeRecord, type RecordInput } from '../../src/record';
import SloReporter from '../../src/reporter/index';
import { REPORT_SCHEMA_VERSION, writeReport, type SloReport } from '../../src/reporter/report';
import type { JestGlobalConfig } from '../../src/reporter/results';
import { aggregated, FILE_A, FILE_B, file, rec, tcase } from './build';

let root: string;
let savedRunDir: string | undefined;
let output: string[];
let writeSpy: jest.SpyInstance;
const made: SloReporter[] = [];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-reporter-test-'));
  savedRunDir = process.env[RUN_DIR_ENV];
  output = [];
  writeSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  writeSpy.mockRestore();
  for (const r of made.splice(0)) fs.rmSync(r.runDir, { recursive: true, force: true });
  fs.rmSync(root, { recursive: true, force: true });
  if (savedRunDir === undefined) delete process.env[RUN_DIR_ENV];
  else process.env[RUN_DIR_ENV] = savedRunDir;
});

/** Prints immediately (no summary reporter after it), so tests need not wait. */
function reporter(options: unknown = {}, config: Partial<JestGlobalConfig> = {}): SloReporter {
  const r = new SloReporter({ rootDir: root, reporters: [['rt-slo-reporter', options]], ...config }, options);
  made.push(r);
  return r;
}

/** A measurement through the real writer, as a matcher would write it. */
function measure(slo: string, over: Partial<RecordInput> = {}): void {
  const { schema: _s, id: _i, ref: _r, worker: _w, pid: _p, env: _e, ...input } = rec({ slo, testName: slo, ...over } as Parameters<typeof rec>[0]);
  writeRecord({ ...input, ...over } as RecordInput);
}

function readReport(dir = path.join(root, 'slo-report')): SloReport {
  return JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as SloReport;
}

// Colour follows the environment (CI=true turns it on, as it should for users): read plain text.
const printed = (): string => output.join('').replace(/\x1b\[[0-9;]*m/g, '');

describe('SloReporter', () => {
  test('publishes a fresh run folder to workers, with the declarations matchers read', () => {
    const r = reporter({ slos: { startup: { tier: 'must', target: '100ms' } } });
    expect(process.env[RUN_DIR_ENV]).toBe(r.runDir);
    expect(fs.statSync(r.runDir).isDirectory()).toBe(true);
    expect(declarations()).toEqual({ startup: { tier: 'must', target: '100ms' } });
    const other = reporter();
    expect(other.runDir).not.toBe(r.runDir);
  });

  test('bad options throw from the constructor, before any folder is made', () => {
    const before = process.env[RUN_DIR_ENV];
    expect(() => new SloReporter({ rootDir: root }, { failOn: 'always' })).toThrow(/option failOn must be one of 'no-go', 'warnings', 'never'; received "always"/);
    expect(process.env[RUN_DIR_ENV]).toBe(before);
  });

  test('collects every record, joins test statuses, prints the matrix, writes report.json and passes a GO', () => {
    const r = reporter({ slos: { 'execute overhead': { tier: 'must', target: '10us', description: 'per call' } } });
    r.onRunStart();
    measure('execute overhead', { testPath: FILE_A });
    measure('startup', { testPath: FILE_B, tier: 'should', verdict: 'WARN' });
    r.onRunComplete(new Set(), aggregated([file(FILE_A, [tcase('execute overhead')]), file(FILE_B, [tcase('startup', 'failed', ['Error: later assertion'])])]));

    expect(r.getLastError()).toBeUndefined();
    const text = printed();
    expect(text).toMatch(/SLO decision matrix/);
    expect(text).toMatch(/^MUST\s+execute overhead †\s+≤10µs\s+—\s+\[8\.2ns 8\.5ns 8\.8ns\]\s+3000\s+PASS$/m);
    expect(text).toMatch(/^SHOULD\s+startup\s+.*WARN$/m);
    expect(text).toMatch(/\(test failed\)/);
    expect(text).toMatch(/^Decision: GO — MUST 1\/1 pass; SHOULD 0\/1; NICE 0\/0$/m);

    const report = readReport();
    expect(report).toEqual(r.lastReport);
    expect(report.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(report.tool.name).toBe('rt-slo-reporter');
    expect(report.decision).toMatchObject({ verdict: 'GO', failsRun: false, failOn: 'no-go' });
    expect(report.rows.map((x) => [x.slo, x.verdict, x.testStatus])).toEqual([
      ['execute overhead', 'PASS', 'passed'],
      ['startup', 'WARN', 'failed'],
    ]);
    expect(report.records.map((x) => [x.slo, x.testStatus, x.pid])).toEqual([
      ['execute overhead', 'passed', process.pid],
      ['startup', 'failed', process.pid],
    ]);
    expect(report.run).toMatchObject({ complete: true, totalFiles: 2, ranFiles: 2, shard: null, runNumber: 1, watch: false });
    expect(report.run.fingerprint.cores).toBeGreaterThan(0);
    expect(report.declarations).toEqual({ 'execute overhead': { tier: 'must', target: '10us', description: 'per call' } });
    expect(fs.readdirSync(path.join(root, 'slo-report'))).toEqual(['report.json']);
  });

  test('a NO-GO fails the run through getLastError', () => {
    const r = reporter({ slos: { startup: { tier: 'must', target: '100ms' } } });
    r.onRunStart();
    measure('noop');
    r.onRunComplete(undefined, aggregated([file(FILE_A, [tcase('noop')])]));
    const err = r.getLastError();
    expect(err).toBeInstanceOf(Error);
    expect(err?.message).toMatch(/^rt-slo-reporter: NO-GO — MUST row "startup" not measured \(MISSING\)/);
    expect(printed()).toMatch(/^MUST\s+startup\s+≤100ms\s+—\s+—\s+—\s+MISSING$/m);
  });

  test('failOn never reports the NO-GO and passes', () => {
    const r = reporter({ failOn: 'never', slos: { startup: { tier: 'must' } } });
    r.onRunStart();
    r.onRunComplete(undefined, aggregated([file(FILE_A, [tcase('x')])]));
    expect(r.lastReport?.decision.verdict).toBe('NO-GO');
    expect(r.getLastError()).toBeUndefined();
  });

  test('a record whose tier contradicts its declaration is a configuration error shown in the output, failing the run even with failOn never', () => {
    const r = reporter({ failOn: 'never', slos: { a: { tier: 'must' } } });
    r.onRunStart();
    measure('a', { tier: 'nice' });
    r.onRunComplete(undefined, aggregated([file(FILE_A, [tcase('a')])]));
    expect(printed()).toMatch(/Configuration errors \(they fail the run\):\n {2}✗ SLO "a" is declared tier 'must'/);
    expect(r.getLastError()?.message).toMatch(/1 configuration error/);
    expect(readReport().problems.configErrors).toHaveLength(1);
  });

  test('a corrupt record line is reported with its file and line; the other records count', () => {
    const r = reporter();
    r.onRunStart();
    measure('a');
    fs.appendFileSync(path.join(r.runDir, 'records-42-7.jsonl'), '{"schema":1,"id":"4');
    r.onRunComplete(undefined, aggregated([file(FILE_A, [tcase('a')])]));
    expect(printed()).toMatch(/records-42-7\.jsonl line 1: truncated last line/);
    const report = readReport();
    expect(report.records).toHaveLength(1);
    expect(report.problems.badLines).toEqual([expect.objectContaining({ file: path.join(r.runDir, 'records-42-7.jsonl'), line: 1 })]);
  });

  test('no rows at all: NO DATA, said plainly, passing a clean run and failing one with failed tests', () => {
    const clean = reporter();
    clean.onRunStart();
    clean.onRunComplete(undefined, aggregated([file(FILE_A, [tcase('a')])]));
    expect(printed()).toMatch(/No SLO rows: no test measured an SLO/);
    expect(printed()).toMatch(/^Decision: NO DATA — no SLO was measured and none is declared$/m);
    expect(clean.getLastError()).toBeUndefined();
    const failing = reporter();
    failing.onRunStart();
    failing.onRunComplete(undefined, aggregated([file(FILE_A, [tcase('a', 'failed', ['Error: x'])])]));
    expect(failing.getLastError()?.message).toMatch(/NO DATA/);
  });

  test('a crashed test file makes the run incomplete: never GO, and said so', () => {
    const r = reporter();
    r.onRunStart();
    measure('a');
    r.onRunComplete(undefined, aggregated([file(FILE_A, [tcase('a')]), file(FILE_B, [], { message: 'Jest worker encountered 4 child process exceptions, exceeding retry limit' })]));
    expect(r.lastReport?.decision.verdict).toBe('NO-GO');
    expect(r.lastReport?.run.complete).toBe(false);
    expect(printed()).toMatch(/Incomplete run: 1 of 2 test files did not finish/);
    expect(r.getLastError()).toBeInstanceOf(Error);
  });

  test('shard: the report says it covers one shard', () => {
    const r = reporter({}, { shard: { shardIndex: 2, shardCount: 3 } });
    r.onRunStart();
    measure('a');
    r.onRunComplete(undefined, aggregated([file(FILE_A, [tcase('a')])]));
    expect(printed()).toMatch(/This report covers shard 2\/3 only/);
    expect(readReport().run.shard).toEqual({ index: 2, count: 3 });
  });

  test('overlapping measurements from different workers are flagged in the output and the JSON', () => {
    const r = reporter();
    r.onRunStart();
    const lines = [rec({ slo: 'a', startedAt: 100, endedAt: 200, pid: 1, worker: '1' }), rec({ slo: 'b', startedAt: 150, endedAt: 250, pid: 2, worker: '2' })]
      .map(({ ref: _ref, ...x }) => JSON.stringify(x))
      .join('\n');
    fs.writeFileSync(path.join(r.runDir, 'records-1-1.jsonl'), `${lines}\n`);
    r.onRunComplete(undefined, aggregated([file(FILE_A, [tcase('a'), tcase('b')])]));
    expect(printed()).toMatch(/Warning: 2 measurements in 2 Jest workers ran at the same time/);
    expect(printed()).toMatch(/jest --runInBand/);
    const { overlap } = readReport().problems;
    expect(overlap).toMatchObject({ detected: true, workers: ['1:1', '2:2'] });
    expect(readReport().records.every((x) => x.overlapped)).toBe(true);
  });

  test('outside watch mode the run folder is removed at the end of the run', () => {
    const r = reporter();
    r.onRunStart();
    measure('a');
    r.onRunComplete(undefined, aggregated([]));
    expect(fs.existsSync(r.runDir)).toBe(false);
  });

  test('watch mode: the folder keeps its path, and a second run starts a fresh matrix', () => {
    const r = reporter({ slos: { kept: { tier: 'nice' } } }, { watch: true });
    const dir = r.runDir;
    r.onRunStart();
    measure('first run only');
    r.onRunComplete(undefined, aggregated([file(FILE_A, [tcase('first run only')])]));
    expect(r.lastReport?.rows.map((x) => x.slo)).toEqual(['first run only', 'kept']);
    expect(fs.existsSync(dir)).toBe(true);

    r.onRunStart();
    expect(process.env[RUN_DIR_ENV]).toBe(dir);
    expect(declarations()).toEqual({ kept: { tier: 'nice' } });
    measure('second run');
    r.onRunComplete(undefined, aggregated([file(FILE_A, [tcase('second run')])]));
    const second = r.lastReport;
    expect(second?.rows.map((x) => x.slo)).toEqual(['second run', 'kept']);
    expect(second?.records.map((x) => x.slo)).toEqual(['second run']);
    expect(second?.run.runNumber).toBe(2);
    expect(readReport().run.runNumber).toBe(2);
  });

  test('with Jest\'s summary reporter after it, the matrix prints once the summary is out', async () => {
    const r = new SloReporter({ rootDir: root, reporters: ['default', ['rt-slo-reporter', {}]] }, {});
    made.push(r);
    r.onRunStart();
    r.onRunComplete(undefined, aggregated([]));
    expect(printed()).toBe('');
    expect(r.getLastError()).toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    expect(printed()).toMatch(/SLO decision matrix/);
  });

  test('an internal error fails the run instead of passing it silently', () => {
    const r = reporter();
    r.onRunStart();
    r.onRunComplete(undefined, { numTotalTestSuites: 1, testResults: null } as never);
    expect(r.getLastError()?.message).toMatch(/^rt-slo-reporter: internal error while building the matrix/);
    expect(printed()).toMatch(/internal error/);
  });

  test('verbose (option or Jest --verbose) prints Criterion-style detail', () => {
    const r = reporter({}, { verbose: true });
    r.onRunStart();
    measure('a', { summary: { min: 8, max: 20, mean: 8.6, sd: 0.4, p50: 8.5, p75: 8.7, p99: 9.9 } });
    r.onRunComplete(undefined, aggregated([file(FILE_A, [tcase('a')])]));
    const text = printed();
    expect(text).toMatch(/^ {4}time: {5}\[8\.2ns 8\.5ns 8\.8ns\] p50, 95% CI$/m);
    expect(text).toMatch(/^ {4}thrpt: {4}\[113\.6M 117\.6M 122M\] calls\/s$/m);
    expect(text).toMatch(/^ {4}samples: {2}3000 × 1000 calls, noise ±3\.5%$/m);
    expect(text).toMatch(/^ {4}stats: {4}min 8ns p50 8\.5ns/m);
    expect(text).toMatch(/^ {4}test: {5}passed .*a\.test\.ts › a$/m);
    const quiet = reporter({ verbose: false }, { verbose: true });
    output.length = 0;
    quiet.onRunStart();
    measure('a');
    quiet.onRunComplete(undefined, aggregated([file(FILE_A, [tcase('a')])]));
    expect(printed()).not.toMatch(/time:/);
  });
});

describe('writeReport', () => {
  test('writes atomically: a failed write leaves the previous report whole, and no temporary file', () => {
    const dir = path.join(root, 'out');
    const good = { schemaVersion: 1, n: 1 } as unknown as SloReport;
    writeReport(dir, good);
    const bad = { schemaVersion: 1, n: 10n } as unknown as SloReport;
    expect(() => writeReport(dir, bad)).toThrow(/BigInt/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'))).toEqual({ schemaVersion: 1, n: 1 });
    expect(fs.readdirSync(dir)).toEqual(['report.json']);
  });

  test('non-finite numbers become null', () => {
    const dir = path.join(root, 'out');
    writeReport(dir, { a: Infinity, b: Number.NaN } as unknown as SloReport);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'))).toEqual({ a: null, b: null });
  });
});
