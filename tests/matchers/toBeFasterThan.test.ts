/**
 * Truth fixtures (known by construction, margins ≥ 4×):
 * - a 1 µs busy-wait against a 20 µs one: speedup ≈ 17–20× → passes by 4, fails by 80;
 * - reusing one worker thread (a message round trip, ~30 µs) against a new worker per call
 *   (~40 ms): speedup ≈ 1,000–2,000× → passes by 100, fails by 100,000.
 */
import { expect as globalsExpect } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_MIN_SAMPLES } from '../../src/constants';
import { spinner } from '../fixtures/compare/cpu';
import { failureOf, last, normalize, useRunDir } from '../fixtures/compare/records';
import { reusedWorker, workerPerCall, type ReusedWorker } from '../fixtures/compare/workers';
import { REPO, rowLine, runJest } from '../fixtures/reporter/harness';

const records = useRunDir({
  'declared speedup': { tier: 'should', target: 80, noGo: '4x' },
  'declared target only': { tier: 'must', target: 4 },
});
const fast = spinner(1, 'spin1us');
const slow = spinner(20, 'spin20us');

describe('.toBeFasterThan', () => {
  it('passes when the speedup clears `by` (1 µs vs 20 µs, by 4)', async () => {
    await expect(fast).toBeFasterThan(slow, { by: 4 });
    const r = last(records);
    expect(r).toMatchObject({ matcher: 'toBeFasterThan', unit: 'x', direction: 'higher', stat: 'speedup(p50)', verdict: 'PASS', passed: true, target: 4, noGo: 4, targetText: '4x' });
    expect(r.low).toBeGreaterThanOrEqual(4);
    expect(r.low).toBeLessThanOrEqual(r.estimate);
    expect(r.estimate).toBeLessThanOrEqual(r.high);
    expect(r.details).toMatchObject({ ours: { name: 'spin1us', stat: 'p50' }, other: { name: 'spin20us', stat: 'p50', batch: 1 }, stoppedBy: 'decided' });
  });

  it('passes with the default by (1): merely faster', async () => {
    await expect(fast).toBeFasterThan(slow);
    expect(last(records)).toMatchObject({ verdict: 'PASS', target: 1 });
  });

  it('fails when the speedup is short of `by` (1 µs vs 20 µs, by 80)', async () => {
    const message = await failureOf(expect(fast).toBeFasterThan(slow, { by: 80 }));
    const r = last(records);
    expect(r).toMatchObject({ verdict: 'FAIL', passed: false, inconclusive: false });
    expect(r.high).toBeLessThan(80);
    expect(normalize(message)).toMatchSnapshot();
  });

  it('fails when the other function is the faster one', async () => {
    await failureOf(expect(slow).toBeFasterThan(fast));
    expect(last(records).high).toBeLessThan(1);
  });

  it('compares means with stat: mean', async () => {
    // Robust direction only: preemptions on a loaded machine widen a mean's interval, and a
    // speedup of ~18× can never reach 80.
    await failureOf(expect(fast).toBeFasterThan(slow, { by: 80, stat: 'mean' }));
    const r = last(records);
    expect(r).toMatchObject({ stat: 'speedup(mean)', verdict: 'FAIL', details: { ours: { stat: 'mean' }, other: { stat: 'mean' } } });
    expect(r.estimate).toBeLessThan(80);
  });

  it('warns between noGo and by, without failing a must row', async () => {
    await expect(fast).toBeFasterThan(slow, { by: 80, noGo: 4 });
    expect(last(records)).toMatchObject({ verdict: 'WARN', passed: true, target: 80, noGo: 4, noGoText: '4x' });
  });

  it('records FAIL without failing the test on a should row', async () => {
    await expect(fast).toBeFasterThan(slow, { by: 80, tier: 'should', slo: 'spin speedup' });
    expect(last(records)).toMatchObject({ slo: 'spin speedup', tier: 'should', verdict: 'FAIL', passed: true });
  });

  it('works through @jest/globals too (types and runtime)', async () => {
    await globalsExpect(fast).toBeFasterThan(slow, { by: 4 });
    expect(last(records).verdict).toBe('PASS');
  });

  it("takes tier and noGo from the reporter's declaration of the SLO", async () => {
    await expect(fast).toBeFasterThan(slow, { slo: 'declared speedup', by: 80 });
    expect(last(records)).toMatchObject({ slo: 'declared speedup', tier: 'should', target: 80, noGo: 4, verdict: 'WARN' });
  });

  it('takes by from the declared target when by is not given', async () => {
    await expect(fast).toBeFasterThan(slow, { slo: 'declared target only' });
    expect(last(records)).toMatchObject({ slo: 'declared target only', target: 4, targetText: '4x', verdict: 'PASS' });
  });

  it('refuses a by that contradicts the declaration', async () => {
    await expect(expect(fast).toBeFasterThan(slow, { slo: 'declared speedup', by: 50 })).rejects.toThrow(
      /target "50x" conflicts with the declaration of SLO "declared speedup" in the reporter's slos option \(target 80\)/,
    );
  });

  describe('worker threads: reuse vs a new worker per call', () => {
    let worker: ReusedWorker;
    beforeAll(() => {
      worker = reusedWorker();
    });
    afterAll(async () => {
      await worker.close();
    });

    it('reusing one worker is at least 100× faster, from few samples of the slow side', async () => {
      // maxTime only guards a heavily loaded machine; the interval clears well before it.
      await expect(worker.call).toBeFasterThan(workerPerCall, { by: 100, maxTime: '10s' });
      const r = last(records);
      const details = r.details as { other: { samples: number; batch: number; estimate: number }; ours: { async: boolean }; stoppedBy: string };
      expect(r.verdict).toBe('PASS');
      expect(r.low).toBeGreaterThanOrEqual(100);
      expect(details.stoppedBy).toBe('decided');
      expect(details.ours.async).toBe(true);
      // A 40 ms call is sampled only until the interval is clear: fewer than the default 30.
      expect(details.other.batch).toBe(1);
      expect(details.other.samples).toBeLessThan(DEFAULT_MIN_SAMPLES);
      expect(details.other.estimate).toBeGreaterThan(1e6);
    });

    it('fails a speedup it does not have (by 100,000), still deciding early', async () => {
      const message = await failureOf(expect(worker.call).toBeFasterThan(workerPerCall, { by: 100_000, maxTime: '10s' }));
      const r = last(records);
      expect(r).toMatchObject({ verdict: 'FAIL', inconclusive: false });
      expect(r.high).toBeLessThan(100_000);
      expect((r.details as { other: { samples: number } }).other.samples).toBeLessThan(DEFAULT_MIN_SAMPLES);
      expect(message).toMatch(/Other: +workerPerCall p50 \[/);
    });
  });

  it('is inconclusive, and says why, when time runs out before the slow side has enough samples', async () => {
    // 1 ms of sampling leaves one sample of a 5 ms call: no 95% bound exists for its median.
    const message = await failureOf(expect(fast).not.toBeFasterThan(spinner(5000, 'spin5ms'), { maxTime: '1ms' }));
    const r = last(records);
    expect(r).toMatchObject({ inconclusive: true, details: { stoppedBy: 'time', speedup: { low: 0, high: null } } });
    expect(message).toMatch(/Note: +inconclusive: the 95% interval still straddles the target/);
    expect(message).toMatch(/Note: +too few samples for a bounded 95% interval/);
    expect(normalize(message)).toMatchSnapshot();
  });

  describe('errors thrown by either function', () => {
    it('records ERROR and rethrows when the received function throws', async () => {
      const boom = new Error('received exploded');
      await expect(
        expect(() => {
          throw boom;
        }).toBeFasterThan(slow),
      ).rejects.toBe(boom);
      expect(last(records)).toMatchObject({ verdict: 'ERROR', error: 'received exploded', passed: false, matcher: 'toBeFasterThan' });
    });

    it('records ERROR and rethrows when the other function rejects', async () => {
      await expect(expect(fast).toBeFasterThan(async () => Promise.reject(new Error('other exploded')))).rejects.toThrow('other exploded');
      expect(last(records)).toMatchObject({ verdict: 'ERROR', error: 'other exploded' });
    });
  });

  describe('bad arguments', () => {
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['received is not a function', () => expect(42).toBeFasterThan(slow), /toBeFasterThan: received value must be a function; received 42/],
      ['other is not a function', () => expect(fast).toBeFasterThan('slow' as never), /toBeFasterThan: other must be a function; received "slow"/],
      ['other is missing', () => expect(fast).toBeFasterThan(undefined as never), /other must be a function; received undefined/],
      ['by is 0', () => expect(fast).toBeFasterThan(slow, { by: 0 }), /option by must be a positive finite number or a string '<number>x' .*; received 0/],
      ['by is negative', () => expect(fast).toBeFasterThan(slow, { by: -2 }), /option by must be a positive finite number or a string '<number>x' .*; received -2/],
      ['by is a word', () => expect(fast).toBeFasterThan(slow, { by: 'ten' as never }), /option by must be a positive finite number or a string '<number>x' .*; received "ten"/],
      ['noGo above by', () => expect(fast).toBeFasterThan(slow, { by: 4, noGo: 10 }), /noGo \(10x\) must be at most by \(4x\)/],
      ['noGo with .not', () => expect(fast).not.toBeFasterThan(slow, { by: 4, noGo: 2 }), /option noGo has no meaning with \.not\.toBeFasterThan/],
      ['unknown option', () => expect(fast).toBeFasterThan(slow, { factor: 4 } as never), /unknown option "factor"; accepted options: slo, tier, by, noGo, stat, maxTime, minSamples/],
      ['unknown stat', () => expect(fast).toBeFasterThan(slow, { stat: 'p99' as never }), /option stat must be one of 'p50', 'mean'; received "p99"/],
      ['unknown tier', () => expect(fast).toBeFasterThan(slow, { tier: 'critical' as never }), /option tier must be one of 'must', 'should', 'nice'; received "critical"/],
      ['bad maxTime', () => expect(fast).toBeFasterThan(slow, { maxTime: '2 secs' as never }), /option maxTime must be a number of milliseconds/],
      ['bad minSamples', () => expect(fast).toBeFasterThan(slow, { minSamples: 2.5 }), /option minSamples must be a positive integer; received 2\.5/],
      ['options not an object', () => expect(fast).toBeFasterThan(slow, 4 as never), /options must be an object; received 4/],
    ];
    it.each(cases)('%s → TypeError', async (_name, run, message) => {
      const before = records().length;
      await expect(run()).rejects.toThrow(TypeError);
      await expect(run()).rejects.toThrow(message);
      expect(records()).toHaveLength(before);
    });
  });
});

describe('.not.toBeFasterThan', () => {
  it('passes when the speedup is clearly short of `by` (claim: not 80× faster)', async () => {
    await expect(fast).not.toBeFasterThan(slow, { by: 80 });
    const r = last(records);
    expect(r).toMatchObject({ negated: true, direction: 'lower', target: 80, noGo: 80, verdict: 'PASS', passed: true });
    expect(r.high).toBeLessThan(80);
  });

  it('fails when the speedup is clearly beyond `by` (claim: not 4× faster)', async () => {
    const message = await failureOf(expect(fast).not.toBeFasterThan(slow, { by: 4 }));
    expect(last(records)).toMatchObject({ negated: true, verdict: 'FAIL', passed: false });
    expect(normalize(message)).toMatchSnapshot();
  });
});

describe("both comparison matchers in the reporter's matrix (real Jest CLI, dist/)", () => {
  it('shows each row with its verdict, unit and interval, and decides NO-GO on the FAIL', async () => {
    // The fixture resolves rt-slo-reporter by name, as an installed package: link it to the repo.
    const modules = path.join(__dirname, '../fixtures/compare/node_modules');
    fs.mkdirSync(modules, { recursive: true });
    if (!fs.existsSync(path.join(modules, 'rt-slo-reporter'))) fs.symlinkSync(REPO, path.join(modules, 'rt-slo-reporter'), 'dir');
    const run = await runJest('compare', [], {}, path.join(__dirname, '../fixtures/compare/project'));
    const output = run.stdout + run.stderr;
    expect(run.report).toBeDefined();
    const rows = Object.fromEntries((run.report?.rows ?? []).map((r) => [r.slo, r]));
    expect(rows['worker reuse speedup']).toMatchObject({ declared: true, matcher: 'toBeFasterThan', unit: 'x', direction: 'higher', target: 100, verdict: 'PASS' });
    expect(rows['worker reuse speedup'].measured?.low).toBeGreaterThanOrEqual(100);
    expect(rows['spin speedup']).toMatchObject({ matcher: 'toBeFasterThan', unit: 'x', target: 80, noGo: 4, verdict: 'WARN' });
    expect(rows['extra wait overhead']).toMatchObject({ matcher: 'toHaveOverheadUnder', unit: 'ns', direction: 'lower', target: 10_000, verdict: 'FAIL' });
    expect(rows['self overhead']).toMatchObject({ matcher: 'toHaveOverheadUnder', unit: 'percent', tier: 'should', target: 5, verdict: 'PASS' });
    for (const slo of ['worker reuse speedup', 'spin speedup', 'extra wait overhead', 'self overhead']) expect(rowLine(output, slo)).toBeDefined();
    expect(output).toMatch(/Decision: NO-GO/);
    expect(run.code).toBe(1);
  }, 120_000);
});
