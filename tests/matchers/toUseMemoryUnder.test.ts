/**
 * toUseMemoryUnder on truth fixtures: functions that keep or drop exactly 20 MB by construction,
 * judged against 10 MB (a 2× margin either way, in bytes — memory is counted, not timed, so a
 * loaded machine does not move it; measured retained figures sit within ±0.5 MB of the truth).
 */
import { DEFAULT_RUNS } from '../../src/matchers/toUseMemoryUnder';
import * as f from '../fixtures/memory/truth';
import { failure, normalize, runProject, useRunDir } from '../fixtures/memory/harness';
import { rowLine } from '../fixtures/reporter/harness';

const { onlyRecord } = useRunDir('toUseMemoryUnder');
afterEach(() => f.releaseAll());

/** Memory figures of the fixtures are exact to well under this (bytes). */
const TOLERANCE = 1 * f.MB;

describe('.toUseMemoryUnder', () => {
  test('passes when a function allocates 20 MB and drops it (retained, the default)', async () => {
    await expect(f.allocate20MBAndDrop).toUseMemoryUnder('10MB');
    const r = onlyRecord();
    expect(r).toMatchObject({ matcher: 'toUseMemoryUnder', unit: 'bytes', direction: 'lower', stat: 'retained', target: 10 * f.MB, verdict: 'PASS', passed: true, negated: false, samples: DEFAULT_RUNS, batch: 1 });
    expect(Math.abs(r.estimate)).toBeLessThan(TOLERANCE);
    // The peak of the same runs saw the 20 MB.
    const other = (r.details as { otherMeasure: { stat: string; estimate: number } }).otherMeasure;
    expect(other.stat).toBe('peak');
    expect(other.estimate).toBeGreaterThan(20 * f.MB - TOLERANCE);
  });

  test('fails when a function keeps 20 MB alive in a module-level array', async () => {
    const e = await failure(expect(f.keep20MB).toUseMemoryUnder('10MB'));
    expect(normalize(e.message, ['10MB'])).toMatchSnapshot();
    const r = onlyRecord();
    expect(r).toMatchObject({ verdict: 'FAIL', passed: false, stat: 'retained', inconclusive: false });
    expect(r.estimate).toBeGreaterThan(20 * f.MB - TOLERANCE);
    expect(r.estimate).toBeLessThan(20 * f.MB + TOLERANCE);
  });

  test('fails the peak measure when a function allocates 20 MB and drops it', async () => {
    const e = await failure(expect(f.allocate20MBAndDrop).toUseMemoryUnder('10MB', { measure: 'peak' }));
    expect(normalize(e.message, ['10MB'])).toMatchSnapshot();
    const r = onlyRecord();
    expect(r).toMatchObject({ verdict: 'FAIL', stat: 'peak', inconclusive: false });
    // The 20 MB peak, with a 4× margin: unrelated garbage collected between readings moves the baseline.
    expect(r.low).toBeGreaterThan(20 * f.MB - 4 * TOLERANCE);
  });

  test('the same holds on the JS heap: kept fails, dropped passes retained and fails peak', async () => {
    await expect(expect(f.keep20MBOnHeap).toUseMemoryUnder('10MB')).rejects.toThrow(/Expected retained to be under 10MB/);
    f.releaseAll();
    await expect(f.allocate20MBOnHeapAndDrop).toUseMemoryUnder('10MB');
    await expect(expect(f.allocate20MBOnHeapAndDrop).toUseMemoryUnder('10MB', { measure: 'peak' })).rejects.toThrow(/Expected peak to be under 10MB/);
  });

  test('counts a one-time cost: a lazily built 20 MB singleton fails 10MB although later runs add nothing', async () => {
    await expect(expect(f.lazySingleton20MB).toUseMemoryUnder('10MB')).rejects.toThrow(/retained/);
    const r = onlyRecord();
    expect(r.estimate).toBeGreaterThan(20 * f.MB - TOLERANCE);
    expect(Math.abs((r.details as { growthPerRun: number }).growthPerRun)).toBeLessThan(TOLERANCE);
  });

  test('awaits async functions: 20 MB held across an await and dropped passes retained, fails peak', async () => {
    await expect(f.allocate20MBAndDropAsync).toUseMemoryUnder('10MB');
    expect(onlyRecord().details).toMatchObject({ async: true });
    await expect(expect(f.allocate20MBAndDropAsync).toUseMemoryUnder('10MB', { measure: 'peak' })).rejects.toThrow(/peak/);
  });

  test('calls: repeats the function inside a run (1 KB kept per call × 20,000 calls fails 10MB)', async () => {
    await expect(expect(f.leak1KBPerCall).toUseMemoryUnder('10MB', { calls: 20_000, runs: 2 })).rejects.toThrow(/retained/);
    const r = onlyRecord();
    expect(r.batch).toBe(20_000);
    expect(r.estimate).toBeGreaterThan(20 * f.MB);
  });

  test('WARN between the limit and noGo: the test goes on, the row says WARN', async () => {
    await expect(f.keep20MB).toUseMemoryUnder('10MB', { noGo: '50MB' });
    expect(onlyRecord()).toMatchObject({ verdict: 'WARN', passed: true, noGo: 50 * f.MB, noGoText: '50MB' });
  });

  test('a should-tier row records FAIL without failing the test', async () => {
    await expect(f.keep20MB).toUseMemoryUnder('10MB', { tier: 'should', slo: 'Memory usage' });
    expect(onlyRecord()).toMatchObject({ verdict: 'FAIL', passed: true, tier: 'should', slo: 'Memory usage' });
  });

  test('accepts IEC units and plain byte counts', async () => {
    await expect(f.allocate20MBAndDrop).toUseMemoryUnder('512KiB');
    await expect(f.allocate20MBAndDrop).toUseMemoryUnder(10_000_000);
  });

  test('few runs: says the interval falls short of 95%', async () => {
    const e = await failure(expect(f.keep20MB).toUseMemoryUnder('10MB', { runs: 3 }));
    expect(e.message).toContain('only 3 runs: the interval is [min, max], which covers the median with 75.0% confidence');
  });
});

describe('.not.toUseMemoryUnder', () => {
  test('passes when a function keeps 20 MB alive', async () => {
    await expect(f.keep20MB).not.toUseMemoryUnder('10MB');
    expect(onlyRecord()).toMatchObject({ negated: true, direction: 'higher', verdict: 'PASS', passed: true });
  });

  test('fails when a function drops what it allocates', async () => {
    const e = await failure(expect(f.allocate20MBAndDrop).not.toUseMemoryUnder('10MB'));
    expect(normalize(e.message, ['10MB'])).toMatchSnapshot();
  });
});

describe('arguments', () => {
  test.each([
    ['10XB', /limit must be a number of bytes/],
    [-1, /limit must be a number of bytes .* received -1/],
    ['ten megabytes', /received "ten megabytes"/],
    [undefined, /limit must be/],
  ])('a bad limit (%p) is a TypeError naming it', async (limit, re) => {
    const p = expect(f.returns42).toUseMemoryUnder(limit as never);
    await expect(p).rejects.toThrow(TypeError);
    await expect(expect(f.returns42).toUseMemoryUnder(limit as never)).rejects.toThrow(re);
  });

  test.each([
    [{ measure: 'average' }, /option measure must be one of 'retained', 'peak'; received "average"/],
    [{ runs: 0 }, /option runs must be a positive integer; received 0/],
    [{ calls: 1.5 }, /option calls must be a positive integer; received 1.5/],
    [{ noGo: '5MB' }, /noGo \(5MB\) must be at least the limit \(10MB\)/],
    [{ noGo: 'lots' }, /option noGo must be a number of bytes/],
    [{ budget: 3 }, /unknown option "budget"; accepted options: slo, tier, measure, calls, runs, noGo/],
    [{ tier: 'could' }, /option tier must be one of 'must', 'should', 'nice'/],
    ['peak', /options must be an object; received "peak"/],
  ])('bad options %p are a TypeError naming the option', async (options, re) => {
    await expect(expect(f.returns42).toUseMemoryUnder('10MB', options as never)).rejects.toThrow(re);
    await expect(expect(f.returns42).toUseMemoryUnder('10MB', options as never)).rejects.toBeInstanceOf(TypeError);
  });

  test('noGo has no meaning under .not', async () => {
    await expect(expect(f.returns42).not.toUseMemoryUnder('10MB', { noGo: '20MB' })).rejects.toThrow(/option noGo has no meaning with .not.toUseMemoryUnder/);
  });

  test('the received value must be a function', async () => {
    await expect(expect(42).toUseMemoryUnder('10MB')).rejects.toThrow(/toUseMemoryUnder: received value must be a function; received 42/);
  });

  test('an error thrown by the function is recorded as ERROR, then rethrown', async () => {
    await expect(expect(f.throws).toUseMemoryUnder('10MB')).rejects.toThrow('fixture failure');
    expect(onlyRecord()).toMatchObject({ verdict: 'ERROR', passed: false, error: 'fixture failure', unit: 'bytes', stat: 'retained' });
  });
});

describe('fake timers', () => {
  afterEach(() => jest.useRealTimers());
  test('measures under jest.useFakeTimers() without hanging', async () => {
    jest.useFakeTimers();
    await expect(f.allocate20MBAndDrop).toUseMemoryUnder('10MB');
    await expect(expect(f.keep20MB).toUseMemoryUnder('10MB')).rejects.toThrow(/retained/);
  });
});

describe('in a user project, through the real Jest CLI and the reporter', () => {
  /** A child Jest run of four memory tests: ~10 s on a quiet machine. */
  const CHILD_TIMEOUT = 180_000;
  test(
    'memory rows in the decision matrix: bytes and bytes/call, PASS and FAIL where the truth says',
    async () => {
      const run = await runProject(['--runInBand']);
      expect(run.stderr).toMatch(/Tests: +4 passed, 4 total/);
      const rows = Object.fromEntries((run.report?.rows ?? []).map((r) => [r.slo, r]));
      expect(rows['memory usage']).toMatchObject({ tier: 'should', verdict: 'FAIL', unit: 'bytes' });
      expect(rows['no memory leaks']).toMatchObject({ tier: 'must', verdict: 'PASS', unit: 'bytes/call' });
      expect(rows['leak caught']).toMatchObject({ tier: 'should', verdict: 'FAIL', unit: 'bytes/call' });
      expect(rows['dropped 20MB retained']).toMatchObject({ tier: 'must', verdict: 'PASS', unit: 'bytes' });
      expect(rows['dropped 20MB peak']).toMatchObject({ tier: 'nice', verdict: 'FAIL', unit: 'bytes' });
      // The Measured cell wraps onto the next line when its three values do not fit: match its start.
      expect(rowLine(run.stderr, 'memory usage')).toMatch(/^SHOULD +memory usage +≤10MB +— +\[[\d.]+MB .* 6 +FAIL$/);
      expect(Math.abs((rows['memory usage'].measured?.estimate ?? 0) - 20 * f.MB)).toBeLessThan(TOLERANCE);
      expect(rowLine(run.stderr, 'no memory leaks')).toMatch(/^MUST +no memory leaks +≤16B\/call +— +\[-?\d+(\.\d+)?B\/call .* 12 +PASS$/);
      // No MUST row fails: the should and nice FAILs flag their rows, the run goes on.
      expect(run.report?.decision.failsRun).toBe(false);
      expect(run.code).toBe(0);
    },
    CHILD_TIMEOUT,
  );
});
