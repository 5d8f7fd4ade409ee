/**
 * toRunUnder on truth fixtures: functions whose cost is known by construction (a busy-wait on
 * the real clock, a no-op), judged against lines at least 4× away from the truth so the
 * verdicts hold on a loaded 2-core machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MAX_SAMPLES, RECORD_FILE_PREFIX, RUN_DIR_ENV } from '../../src/constants';
import { measure, Subject } from '../../src/measure/engine';
import type { SloRecord } from '../../src/types';

/** The real clock, captured before any test could fake timers. */
const clock = performance.now.bind(performance);

/** Spins for `us` microseconds of real time: a call that costs at least `us`, by construction. */
function busyWait(us: number): void {
  const end = clock() + us / 1000;
  while (clock() < end);
}

const busy200 = (): void => busyWait(200);
const noop = (): number => 42;

/** A clear-cut case must decide well within this (the goal is a 100 ms median). */
const CLEAR_CASE_MAX_WALL_MS = 1000;
/** …and within this many sampling rounds (clear cases take 1–3). */
const CLEAR_CASE_MAX_ROUNDS = 12;

// ---- a run folder per test, so every measurement's record can be read back -----------------

let runDir: string;
const savedRunDir = process.env[RUN_DIR_ENV];
beforeEach(() => {
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-toRunUnder-'));
  process.env[RUN_DIR_ENV] = runDir;
});
afterEach(() => {
  if (savedRunDir === undefined) delete process.env[RUN_DIR_ENV];
  else process.env[RUN_DIR_ENV] = savedRunDir;
  fs.rmSync(runDir, { recursive: true, force: true });
});

function records(): SloRecord[] {
  return fs
    .readdirSync(runDir)
    .filter((f) => f.startsWith(RECORD_FILE_PREFIX))
    .flatMap((f) => fs.readFileSync(path.join(runDir, f), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as SloRecord);
}

function onlyRecord(): SloRecord {
  const all = records();
  expect(all).toHaveLength(1);
  return all[0];
}

/** The assertion error of a failing matcher call. */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the assertion to fail, but it passed');
}

/**
 * The message with its measured numbers replaced by placeholders (and colours stripped), so a
 * snapshot pins the wording and layout, not the machine's speed.
 */
function normalize(message: string): string {
  return (
    message
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-9;]*m/g, '')
      .replace(/(p50|p75|p99|p999|mean|min|max) \[[^\]]*\]/g, '$1 [<low> <estimate> <high>]')
      .replace(/Samples: {2}\d+ × \d+ calls?/g, 'Samples:  <samples> × <batch> calls')
      .replace(/noise ±[\d.]+%/g, 'noise ±<noise>%')
      .replace(/samples of \d+ calls each/g, 'samples of <batch> calls each')
      .replace(/after \d+ samples/g, 'after <samples> samples')
  );
}

function expectClearCase(r: SloRecord): void {
  const d = r.details as { wallMs: number; rounds: number; stoppedBy: string };
  expect(r.inconclusive).toBe(false);
  expect(d.stoppedBy).toBe('decided');
  expect(d.wallMs).toBeLessThan(CLEAR_CASE_MAX_WALL_MS);
  expect(d.rounds).toBeLessThanOrEqual(CLEAR_CASE_MAX_ROUNDS);
}

// ---- the truth fixtures ----------------------------------------------------------------------

describe('.toRunUnder', () => {
  test('passes when a no-op is judged against 1us', async () => {
    await expect(noop).toRunUnder('1us');
    const r = onlyRecord();
    expect(r.verdict).toBe('PASS');
    expect(r.passed).toBe(true);
    expect(r.batch).toBeGreaterThan(1); // a no-op is far below the timer: batched
    expect(r.estimate).toBeLessThan(250); // ns: 4× under the target
    expectClearCase(r);
  });

  test('passes when a 200µs busy-wait is judged against 1ms', async () => {
    await expect(busy200).toRunUnder('1ms');
    const r = onlyRecord();
    expect(r.verdict).toBe('PASS');
    expect(r.batch).toBe(1); // 200µs is well above the batching threshold
    expect(r.estimate).toBeGreaterThanOrEqual(200_000); // a busy-wait can't be faster than its spin
    expect(r.estimate).toBeLessThan(250_000 * 4); // p50 holds even when some calls are preempted
    expectClearCase(r);
  });

  test('fails when a 200µs busy-wait is judged against 50us', async () => {
    const e = await failure(expect(busy200).toRunUnder('50us'));
    expect(e.message).toContain('Expected p50 to be under 50µs, tier must.');
    const r = onlyRecord();
    expect(r.verdict).toBe('FAIL');
    expect(r.passed).toBe(false);
    expect(r.low).toBeGreaterThanOrEqual(200_000);
    expectClearCase(r);
  });

  test('numbers are milliseconds', async () => {
    await expect(busy200).toRunUnder(1, { noGo: 2 });
    const r = onlyRecord();
    expect(r.target).toBe(1e6);
    expect(r.noGo).toBe(2e6);
    // The spelling a person reads in the message and the matrix carries the unit.
    expect([r.targetText, r.noGoText]).toEqual(['1ms', '2ms']);
  });

  test('async functions are awaited: an async function returning 42 passes 20us', async () => {
    await expect(async () => 42).toRunUnder('20us');
    const r = onlyRecord();
    expect(r.verdict).toBe('PASS');
    expect(r.details).toMatchObject({ async: true });
    expectClearCase(r);
  });

  test('the awaited part is timed: work after an await counts', async () => {
    const afterAwait = async (): Promise<void> => {
      await null;
      busyWait(200);
    };
    await expect(expect(afterAwait).toRunUnder('50us')).rejects.toThrow('Expected p50 to be under 50µs');
    expect(onlyRecord().low).toBeGreaterThanOrEqual(200_000);
  });

  test('a function returning a non-native thenable is awaited too', async () => {
    const thenable = () => ({ then: (resolve: (v: number) => void) => resolve(1) });
    await expect(thenable).toRunUnder('100us');
    expect(onlyRecord().details).toMatchObject({ async: true });
  });
});

describe('.not.toRunUnder', () => {
  test('passes when a 200µs busy-wait is not under 50us', async () => {
    await expect(busy200).not.toRunUnder('50us');
    const r = onlyRecord();
    expect(r.negated).toBe(true);
    expect(r.direction).toBe('higher'); // the claim "at least 50µs", judged the other way
    expect(r.verdict).toBe('PASS');
    expect(r.passed).toBe(true);
    expectClearCase(r);
  });

  test('fails when a no-op is judged not under 1ms', async () => {
    const e = await failure(expect(noop).not.toRunUnder('1ms'));
    expect(e.message).toContain('.not.toRunUnder');
    const r = onlyRecord();
    expect(r.verdict).toBe('FAIL');
    expect(r.passed).toBe(false);
    expect(r.noGo).toBe(r.target);
    expectClearCase(r);
  });
});

// ---- stat: each statistic is the one judged --------------------------------------------------

/**
 * A bimodal truth: every 10th call spins 2 ms, the others 30 µs. Both are above the batching
 * threshold, so every sample is one call. p50, p75 and min are ~30µs; p99, p999 and max are
 * ~2ms; the mean is ~227µs.
 */
function bimodal(): () => void {
  let i = 0;
  return () => busyWait(i++ % 10 === 0 ? 2000 : 30);
}

describe('stat', () => {
  test.each([
    ['p50', '200us', 'PASS'],
    ['p75', '200us', 'PASS'],
    ['min', '200us', 'PASS'],
    ['p99', '200us', 'FAIL'],
    ['p999', '200us', 'FAIL'],
    ['max', '200us', 'FAIL'],
    ['mean', '50us', 'FAIL'],
    ['mean', '1ms', 'PASS'],
  ] as const)('%s of a bimodal call against %s: %s', async (stat, target, verdict) => {
    await expect(bimodal()).toRunUnder(target, { stat, tier: 'nice' });
    const r = onlyRecord();
    expect(r.stat).toBe(stat);
    expect(r.batch).toBe(1);
    expect(r.verdict).toBe(verdict);
    expect(r.inconclusive).toBe(false);
    if (stat === 'p999') expect(r.samples).toBeGreaterThanOrEqual(1000);
  });

  test.each(['p50', 'p75', 'min', 'mean', 'p99', 'p999', 'max'] as const)('%s: a no-op passes 100us and a 200µs busy-wait fails 50us', async (stat) => {
    await expect(noop).toRunUnder('100us', { stat });
    await expect(expect(busy200).toRunUnder('50us', { stat })).rejects.toThrow(`Expected ${stat} to be under 50µs`);
    const [pass, fail] = records();
    expect([pass.verdict, fail.verdict]).toEqual(['PASS', 'FAIL']);
    expect([pass.inconclusive, fail.inconclusive]).toEqual([false, false]);
  });

  test('the summary holds every statistic, p999 once there are 1,000 samples', async () => {
    await expect(noop).toRunUnder('100us', { stat: 'p999' });
    const s = onlyRecord().summary;
    expect(s).toBeDefined();
    for (const k of ['min', 'max', 'mean', 'sd', 'p50', 'p75', 'p99', 'p999'] as const) expect(typeof s?.[k]).toBe('number');
    expect(s!.min).toBeLessThanOrEqual(s!.p50);
    expect(s!.p50).toBeLessThanOrEqual(s!.p99);
    expect(s!.p99).toBeLessThanOrEqual(s!.max);
  });
});

// ---- noGo and tiers --------------------------------------------------------------------------

describe('noGo', () => {
  test('over target but within noGo is WARN: the test passes, the row is flagged', async () => {
    await expect(busy200).toRunUnder('100us', { noGo: '1ms' });
    const r = onlyRecord();
    expect(r.verdict).toBe('WARN');
    expect(r.passed).toBe(true);
    expect(r.target).toBe(100_000);
    expect(r.noGo).toBe(1_000_000);
    expect(r.noGoText).toBe('1ms');
    expect(r.inconclusive).toBe(false);
  });

  test('beyond noGo is FAIL', async () => {
    const e = await failure(expect(busy200).toRunUnder('10us', { noGo: '50us' }));
    expect(e.message).toContain('(NO-GO above 50µs)');
    expect(onlyRecord().verdict).toBe('FAIL');
  });

  test('noGo equal to the target is accepted', async () => {
    await expect(busy200).toRunUnder('1ms', { noGo: 1 });
    expect(onlyRecord().verdict).toBe('PASS');
  });
});

describe('tier', () => {
  test.each(['should', 'nice'] as const)('%s: a FAIL is recorded but never fails the test', async (tier) => {
    await expect(busy200).toRunUnder('50us', { tier });
    const r = onlyRecord();
    expect(r.tier).toBe(tier);
    expect(r.verdict).toBe('FAIL');
    // claimHolds(FAIL, should|nice) is true: `passed` says the test went on.
    expect(r.passed).toBe(true);
  });

  test('should: a failing .not claim is recorded but never fails the test', async () => {
    await expect(noop).not.toRunUnder('1ms', { tier: 'should' });
    const r = onlyRecord();
    expect(r.verdict).toBe('FAIL');
    expect(r.passed).toBe(true);
  });

  test('must is the default and fails the test on FAIL', async () => {
    await expect(expect(busy200).toRunUnder('50us')).rejects.toThrow();
    const r = onlyRecord();
    expect(r.tier).toBe('must');
    expect(r.passed).toBe(false);
  });

  test('slo names the row; the default is the full test name', async () => {
    await expect(noop).toRunUnder('100us', { slo: 'execute() overhead' });
    await expect(noop).toRunUnder('100us');
    const [named, unnamed] = records();
    expect(named.slo).toBe('execute() overhead');
    expect(unnamed.slo).toBe('tier slo names the row; the default is the full test name');
  });
});

// ---- budget and samples ----------------------------------------------------------------------

describe('budget', () => {
  test('an interval that straddles the target until maxTime ends inconclusive, said so', async () => {
    // Half the calls 50µs, half 150µs: the median's interval spans both modes, so a 100µs
    // target is never cleared. Tier nice: the point-estimate verdict is a coin toss here.
    let i = 0;
    const straddle = (): void => busyWait(i++ % 2 === 0 ? 50 : 150);
    const maxTimeMs = 150;
    await expect(straddle).toRunUnder('100us', { maxTime: `${maxTimeMs}ms`, tier: 'nice' });
    const r = onlyRecord();
    const d = r.details as { wallMs: number; stoppedBy: string };
    expect(r.inconclusive).toBe(true);
    expect(d.stoppedBy).toBe('time');
    expect(d.wallMs).toBeGreaterThanOrEqual(maxTimeMs);
    expect(d.wallMs).toBeLessThan(maxTimeMs * 4 + 500); // budget + warm-up, generously
    expect(r.notes.join('\n')).toContain('inconclusive');
  });

  test('minSamples is honoured', async () => {
    await expect(busy200).toRunUnder('1ms', { minSamples: 300 });
    expect(onlyRecord().samples).toBeGreaterThanOrEqual(300);
  });

  test('bounded memory: a long run keeps at most MAX_SAMPLES samples', async () => {
    // Never stop early: sample a no-op for 400 ms, far more than MAX_SAMPLES samples of ~20µs.
    const { subject, run } = await measure(noop, () => false, { maxTimeMs: 400, batch: 1 }); // one call per sample: many samples
    expect(run.stoppedBy).not.toBe('decided');
    expect(subject.samples).toBeGreaterThan(MAX_SAMPLES);
    expect(subject.sorted().length).toBe(MAX_SAMPLES);
  });

  test('bounded memory through the matcher: samples seen exceed what is kept', async () => {
    await expect(noop).toRunUnder('100us', { minSamples: MAX_SAMPLES + 2000, maxTime: '5s' });
    const r = onlyRecord();
    expect(r.samples).toBeGreaterThanOrEqual(MAX_SAMPLES + 2000);
  });

  test('Subject samples only after prepare', async () => {
    const s = new Subject(noop);
    await expect(s.round(1)).rejects.toThrow('before prepare');
  });
});

// ---- errors ----------------------------------------------------------------------------------

describe('a function that throws', () => {
  test('the error propagates and an ERROR record is written', async () => {
    const boom = new Error('boom');
    await expect(
      expect(() => {
        throw boom;
      }).toRunUnder('1ms', { slo: 'explodes' }),
    ).rejects.toThrow('boom');
    const r = onlyRecord();
    expect(r.verdict).toBe('ERROR');
    expect(r.error).toBe('boom');
    expect(r.passed).toBe(false);
    expect(r.slo).toBe('explodes');
    expect(r.samples).toBe(0);
  });

  test('the error is the function’s own error object', async () => {
    const boom = new RangeError('own');
    let caught: unknown;
    try {
      await expect(() => {
        throw boom;
      }).toRunUnder('1ms');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(boom);
  });

  test('a throw in the middle of sampling (not on the first call) is an ERROR too', async () => {
    let calls = 0;
    const later = (): number => {
      if (++calls > 5000) throw new Error('late failure');
      return calls;
    };
    await expect(expect(later).toRunUnder('1ms')).rejects.toThrow('late failure');
    expect(onlyRecord().verdict).toBe('ERROR');
  });

  test('a rejecting async function', async () => {
    await expect(
      expect(async () => {
        throw new Error('async boom');
      }).toRunUnder('1ms'),
    ).rejects.toThrow('async boom');
    expect(onlyRecord()).toMatchObject({ verdict: 'ERROR', error: 'async boom' });
  });
});

// ---- bad arguments ---------------------------------------------------------------------------

describe('bad arguments throw a TypeError naming the argument, and measure nothing', () => {
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['a non-function', () => expect(42).toRunUnder('1ms'), /received value must be a function; received 42/],
    ['a promise instead of a function', () => expect(Promise.resolve(1)).toRunUnder('1ms'), /received value must be a function/],
    ['a bad target', () => expect(noop).toRunUnder('10xs' as never), /target must be .*; received "10xs"/],
    ['a target without unit', () => expect(noop).toRunUnder('10' as never), /target must be .*; received "10"/],
    ['a negative target', () => expect(noop).toRunUnder(-1), /target must be .*; received -1/],
    ['a missing target', () => (expect(noop).toRunUnder as (t?: unknown) => Promise<void>)(), /target must be .*; received undefined/],
    ['a bad noGo', () => expect(noop).toRunUnder('1ms', { noGo: '1  ms' as never }), /option noGo must be .*; received "1  ms"/],
    ['noGo < target', () => expect(noop).toRunUnder('1ms', { noGo: '10us' }), /noGo \(10us\) must be at least the target \(1ms\)/],
    ['an unknown stat', () => expect(noop).toRunUnder('1ms', { stat: 'p42' as never }), /option stat must be one of 'p50', 'mean', 'p75', 'p99', 'p999', 'min', 'max'; received "p42"/],
    ['an unknown tier', () => expect(noop).toRunUnder('1ms', { tier: 'must-have' as never }), /option tier must be one of 'must', 'should', 'nice'; received "must-have"/],
    ['an unknown option key', () => expect(noop).toRunUnder('1ms', { stats: 'p99' } as never), /unknown option "stats"; accepted options: slo, tier, stat, noGo, maxTime, minSamples, warmup/],
    ['options that are a string', () => expect(noop).toRunUnder('1ms', 'p99' as never), /options must be an object; received "p99"/],
    ['options that are null', () => expect(noop).toRunUnder('1ms', null as never), /options must be an object; received null/],
    ['options that are an array', () => expect(noop).toRunUnder('1ms', [] as never), /options must be an object; received \[\]/],
    ['minSamples 0', () => expect(noop).toRunUnder('1ms', { minSamples: 0 }), /option minSamples must be a positive integer; received 0/],
    ['minSamples 1.5', () => expect(noop).toRunUnder('1ms', { minSamples: 1.5 }), /option minSamples must be a positive integer; received 1.5/],
    ['a bad maxTime', () => expect(noop).toRunUnder('1ms', { maxTime: 'forever' as never }), /option maxTime must be .*; received "forever"/],
    ['a bad warmup', () => expect(noop).toRunUnder('1ms', { warmup: -5 }), /option warmup must be .*; received -5/],
    ['an empty slo', () => expect(noop).toRunUnder('1ms', { slo: '' }), /option slo must be a non-empty string; received ""/],
    ['noGo with .not', () => expect(noop).not.toRunUnder('1ms', { noGo: '2ms' }), /option noGo has no meaning with \.not\.toRunUnder/],
  ];

  test.each(cases)('%s', async (_name, call, pattern) => {
    let error: unknown;
    try {
      await call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    const message = (error as Error).message;
    expect(message).toMatch(/^toRunUnder: /);
    expect(message).toMatch(pattern);
    expect(records()).toEqual([]); // nothing measured, nothing recorded
  });

  test('the function is never called on bad arguments', async () => {
    const fn = jest.fn(noop);
    await expect(expect(fn).toRunUnder('1ms', { stat: 'p42' as never })).rejects.toThrow(TypeError);
    expect(fn).not.toHaveBeenCalled();
  });

  test("the error's stack points at the test, not into the matcher", async () => {
    const e = await failure(expect(noop).toRunUnder('10xs' as never));
    const frames = (e.stack ?? '').split('\n').filter((l) => l.trim().startsWith('at '));
    expect(frames.some((f) => f.includes('toRunUnder.test.ts'))).toBe(true);
    expect(frames.some((f) => f.includes(path.join('src', 'matchers')))).toBe(false);
  });

  test('undefined options values are treated as absent', async () => {
    await expect(noop).toRunUnder('100us', { stat: undefined, noGo: undefined });
    expect(onlyRecord().stat).toBe('p50');
  });
});

// ---- messages --------------------------------------------------------------------------------

describe('failure messages', () => {
  test('FAIL of a must row', async () => {
    expect(normalize((await failure(expect(busy200).toRunUnder('50us'))).message)).toMatchSnapshot();
  });

  test('FAIL beyond an explicit noGo', async () => {
    expect(normalize((await failure(expect(busy200).toRunUnder('10us', { noGo: '50us', stat: 'p75' }))).message)).toMatchSnapshot();
  });

  test('.not failure: the hint says .not once', async () => {
    const msg = normalize((await failure(expect(noop).not.toRunUnder('1ms'))).message);
    expect(msg.split('\n')[0]).toBe('expect(received).not.toRunUnder(target)');
  });

  test('.not failure', async () => {
    expect(normalize((await failure(expect(busy200).not.toRunUnder('1ms'))).message)).toMatchSnapshot();
  });

  test('.not failure of a batched tail statistic carries the batching note', async () => {
    expect(normalize((await failure(expect(noop).not.toRunUnder('100us', { stat: 'p99' }))).message)).toMatchSnapshot();
  });

  test('the message shows the statistic with its interval, samples × batch and the noise', async () => {
    const msg = (await failure(expect(busy200).toRunUnder('50us'))).message.replace(/\u001b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex
    const r = onlyRecord();
    expect(msg).toMatch(/Received: p50 \[\S+ \S+ \S+\] \(95% CI\)/);
    expect(msg).toContain(`Samples:  ${r.samples} × 1 call,`);
    expect(msg).toContain(`noise ±${(r.noise * 100).toFixed(1)}%`);
  });

  test('bad-argument messages', async () => {
    const msgs = await Promise.all([
      failure(expect('fast').toRunUnder('1ms')),
      failure(expect(noop).toRunUnder('10xs' as never)),
      failure(expect(noop).toRunUnder('1ms', { tier: 'must-have' as never })),
      failure(expect(noop).toRunUnder('1ms', { noGo: '10us' })),
    ]);
    expect(msgs.map((e) => e.message)).toMatchSnapshot();
  });
});

// ---- the record ------------------------------------------------------------------------------

const RECORD_KEYS: (keyof SloRecord)[] = [
  'schema',
  'id',
  'testPath',
  'testName',
  'slo',
  'tier',
  'matcher',
  'negated',
  'unit',
  'direction',
  'target',
  'noGo',
  'targetText',
  'noGoText',
  'stat',
  'estimate',
  'low',
  'high',
  'samples',
  'batch',
  'noise',
  'verdict',
  'inconclusive',
  'passed',
  'summary',
  'notes',
  'details',
  'startedAt',
  'endedAt',
  'worker',
  'pid',
  'env',
];

/** Every leaf is a string, a finite number, a boolean, or null-free: what JSON carries as is. */
function expectPlainJson(value: unknown, where = 'record'): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${where} is ${value}`);
  } else if (Array.isArray(value)) value.forEach((v, i) => expectPlainJson(v, `${where}[${i}]`));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) expectPlainJson(v, `${where}.${k}`);
  else if (!['string', 'boolean'].includes(typeof value)) throw new Error(`${where} is ${String(value)} (${typeof value})`);
}

describe('the record', () => {
  test('one JSON line per measurement with every field, plain JSON', async () => {
    const before = Date.now();
    await expect(busy200).toRunUnder('1ms', { noGo: '2ms', tier: 'should', stat: 'p75' });
    const after = Date.now();
    const files = fs.readdirSync(runDir);
    expect(files).toHaveLength(1);
    const text = fs.readFileSync(path.join(runDir, files[0]), 'utf8');
    expect(text.split('\n')).toHaveLength(2); // one line and its newline
    const r = JSON.parse(text) as SloRecord;
    for (const key of RECORD_KEYS) expect(r).toHaveProperty(key);
    expect(r).not.toHaveProperty('error');
    expectPlainJson(r);
    expect(r).toMatchObject({
      schema: 1,
      testPath: __filename,
      testName: 'the record one JSON line per measurement with every field, plain JSON',
      slo: 'the record one JSON line per measurement with every field, plain JSON',
      tier: 'should',
      matcher: 'toRunUnder',
      negated: false,
      unit: 'ns',
      direction: 'lower',
      target: 1e6,
      noGo: 2e6,
      targetText: '1ms',
      noGoText: '2ms',
      stat: 'p75',
      verdict: 'PASS',
      inconclusive: false,
      passed: true,
      batch: 1,
      worker: process.env.JEST_WORKER_ID ?? '0',
      pid: process.pid,
    });
    expect(r.id).toMatch(/^\d+-[0-9a-f]{8}-\d+$/);
    expect(r.low).toBeLessThanOrEqual(r.estimate);
    expect(r.estimate).toBeLessThanOrEqual(r.high);
    expect(r.samples).toBeGreaterThanOrEqual(10);
    expect(r.noise).toBeGreaterThanOrEqual(0);
    expect(r.summary?.p75).toBe(r.estimate);
    expect(r.startedAt).toBeGreaterThanOrEqual(before);
    expect(r.endedAt).toBeLessThanOrEqual(after);
    expect(r.startedAt).toBeLessThanOrEqual(r.endedAt);
    expect(r.details).toMatchObject({ async: false, stoppedBy: 'decided' });
    expect(r.env).toMatchObject({ node: process.version, cores: os.cpus().length, platform: process.platform, arch: process.arch });
    expect(r.env.cpu.length).toBeGreaterThan(0);
    expect(r.env.loadavg).toHaveLength(3);
  });

  test('every measurement adds its own line', async () => {
    await expect(noop).toRunUnder('100us');
    await expect(busy200).not.toRunUnder('50us');
    const all = records();
    expect(all.map((r) => r.negated)).toEqual([false, true]);
    expect(new Set(all.map((r) => r.id)).size).toBe(2);
  });

  test('no run folder: the matcher works and writes nothing', async () => {
    delete process.env[RUN_DIR_ENV];
    await expect(noop).toRunUnder('100us');
    expect(fs.readdirSync(runDir)).toEqual([]);
  });
});
