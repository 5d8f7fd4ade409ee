import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RECORD_FILE_PREFIX, RECORD_FILE_SUFFIX, RUN_DIR_ENV } from '../../src/constants';
import { completeRecord, recordFile, runDir, writeRecord, type RecordInput } from '../../src/record';
import { RECORD_SCHEMA_VERSION } from '../../src/types';

function input(over: Partial<RecordInput> = {}): RecordInput {
  return {
    slo: 'row',
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
    samples: 100,
    batch: 1000,
    noise: 0.035,
    verdict: 'PASS',
    inconclusive: false,
    passed: true,
    notes: [],
    startedAt: 1,
    endedAt: 2,
    ...over,
  };
}

let dir: string;
const saved = process.env[RUN_DIR_ENV];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-record-test-'));
  process.env[RUN_DIR_ENV] = dir;
});
afterEach(() => {
  if (saved === undefined) delete process.env[RUN_DIR_ENV];
  else process.env[RUN_DIR_ENV] = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

function lines(): unknown[] {
  const files = fs.readdirSync(dir).filter((f) => f.startsWith(RECORD_FILE_PREFIX));
  return files.flatMap((f) =>
    fs
      .readFileSync(path.join(dir, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  );
}

describe('runDir', () => {
  test('reads the environment variable; empty means none', () => {
    expect(runDir()).toBe(dir);
    process.env[RUN_DIR_ENV] = '';
    expect(runDir()).toBeUndefined();
    delete process.env[RUN_DIR_ENV];
    expect(runDir()).toBeUndefined();
  });
});

describe('recordFile', () => {
  test('one file per process and worker inside the run folder', () => {
    const f = recordFile(dir);
    expect(path.dirname(f)).toBe(dir);
    expect(path.basename(f)).toBe(`${RECORD_FILE_PREFIX}${process.pid}-${process.env.JEST_WORKER_ID ?? '0'}${RECORD_FILE_SUFFIX}`);
  });
});

describe('completeRecord', () => {
  test('fills schema, id, test identity, worker, pid and the machine', () => {
    const r = completeRecord(input());
    expect(r.schema).toBe(RECORD_SCHEMA_VERSION);
    expect(r.id).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{8}-\\d+$`));
    expect(r.testPath).toBe(__filename);
    expect(r.testName).toBe('completeRecord fills schema, id, test identity, worker, pid and the machine');
    expect(r.worker).toBe(process.env.JEST_WORKER_ID ?? '0');
    expect(r.pid).toBe(process.pid);
    expect(r.env.node).toBe(process.version);
  });

  test('ids are unique and increasing within a process', () => {
    const a = Number(completeRecord(input()).id.split('-')[2]);
    const b = Number(completeRecord(input()).id.split('-')[2]);
    expect(Number.isInteger(a)).toBe(true); // a NaN here would make the next line pass vacuously
    expect(b).toBe(a + 1);
  });

  test('an explicit test identity wins', () => {
    const r = completeRecord(input({ testPath: '/x.test.ts', testName: 'given' }));
    expect(r.testPath).toBe('/x.test.ts');
    expect(r.testName).toBe('given');
  });
});

describe('writeRecord', () => {
  test('appends one JSON line per call to this process file, and returns the record', () => {
    const a = writeRecord(input({ slo: 'a' }));
    const b = writeRecord(input({ slo: 'b' }));
    const text = fs.readFileSync(recordFile(dir), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(3);
    expect(lines()).toEqual([JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b))]);
  });

  test('values JSON cannot carry become null, BigInt becomes a number', () => {
    writeRecord(input({ estimate: NaN, low: -Infinity, high: Infinity, details: { big: 12n as unknown as number, nested: [NaN, 1] } }));
    const [r] = lines() as Record<string, unknown>[];
    expect(r.estimate).toBeNull();
    expect(r.low).toBeNull();
    expect(r.high).toBeNull();
    expect(r.details).toEqual({ big: 12, nested: [null, 1] });
  });

  test('creates a missing run folder', () => {
    const nested = path.join(dir, 'later', 'made');
    process.env[RUN_DIR_ENV] = nested;
    writeRecord(input());
    expect(fs.existsSync(recordFile(nested))).toBe(true);
  });

  test('without a run folder nothing is written, the record is still returned', () => {
    delete process.env[RUN_DIR_ENV];
    const r = writeRecord(input({ slo: 'solo' }));
    expect(r.slo).toBe('solo');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
