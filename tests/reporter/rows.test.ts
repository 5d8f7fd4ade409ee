import { TestIndex } from '../../src/reporter/results';
import { buildRows, recordRowVerdict } from '../../src/reporter/rows';
import { aggregated, FILE_A, FILE_B, file, rec, tcase } from './build';

const noTests = new TestIndex(undefined);

describe('recordRowVerdict', () => {
  test.each([
    ['PASS', false, 'PASS'],
    ['PASS', true, 'WARN'],
    ['WARN', false, 'WARN'],
    ['WARN', true, 'WARN'],
    ['FAIL', false, 'FAIL'],
    ['FAIL', true, 'FAIL'],
    ['ERROR', false, 'ERROR'],
  ] as const)('%s (inconclusive: %s) → %s', (verdict, inconclusive, row) => {
    expect(recordRowVerdict({ verdict, inconclusive })).toBe(row);
  });
});

describe('buildRows', () => {
  test('one row per SLO name; the worst verdict of its records decides, and its record is shown', () => {
    const a1 = rec({ slo: 'a', estimate: 5 });
    const a2 = rec({ slo: 'a', verdict: 'WARN', estimate: 12_000, low: 11_000, high: 13_000 });
    const a3 = rec({ slo: 'a', estimate: 6 });
    const { rows } = buildRows([a1, a2, a3, rec({ slo: 'b' })], {}, noTests);
    expect(rows.map((r) => [r.slo, r.verdict])).toEqual([
      ['a', 'WARN'],
      ['b', 'PASS'],
    ]);
    expect(rows[0].decidingRecord).toBe(a2.ref);
    expect(rows[0].measured).toEqual({ low: 11_000, estimate: 12_000, high: 13_000 });
    expect(rows[0].records).toEqual([a1.ref, a2.ref, a3.ref]);
    expect(rows[0].notes).toContain('measured 3 times (2 PASS, 1 WARN); the worst verdict decides');
  });

  test('order of severity: PASS < WARN < MISSING < ERROR < FAIL', () => {
    const { rows } = buildRows(
      [rec({ slo: 'x', verdict: 'FAIL' }), rec({ slo: 'x', verdict: 'ERROR', error: 'boom' }), rec({ slo: 'y', verdict: 'ERROR', error: 'boom' }), rec({ slo: 'y', verdict: 'WARN' })],
      {},
      noTests,
    );
    expect(rows.map((r) => r.verdict)).toEqual(['FAIL', 'ERROR']);
  });

  test('a WARN or FAIL row says why, with its numbers', () => {
    const { rows } = buildRows(
      [
        rec({ slo: 'a-warn', verdict: 'WARN', target: 50_000, noGo: 10_000_000, estimate: 202_300, low: 202_000, high: 203_400 }),
        rec({ slo: 'b-fail', verdict: 'FAIL', target: 20_000, noGo: 50_000, estimate: 201_200, low: 200_800, high: 201_700 }),
        rec({ slo: 'c-speedup', verdict: 'FAIL', unit: 'x', direction: 'higher', stat: 'speedup', target: 1000, noGo: 100, estimate: 42, low: 40, high: 44 }),
      ],
      {},
      noTests,
    );
    expect(rows.map((r) => r.notes[0])).toEqual([
      'p50 [202µs 202.3µs 203.4µs] is above the target 50µs, within the NO-GO limit 10ms',
      'p50 [200.8µs 201.2µs 201.7µs] is above the NO-GO limit 50µs (target 20µs)',
      'speedup [40x 42x 44x] is below the NO-GO limit 100x (target 1,000x)',
    ]);
  });

  test('an inconclusive PASS is a WARN, saying why', () => {
    const { rows } = buildRows([rec({ slo: 'a', inconclusive: true })], {}, noTests);
    expect(rows[0].verdict).toBe('WARN');
    expect(rows[0].inconclusive).toBe(true);
    expect(rows[0].notes.join()).toMatch(/a PASS needs evidence/);
  });

  test('an ERROR record makes its row ERROR with the error, and no measured value', () => {
    const { rows } = buildRows([rec({ slo: 'a', verdict: 'ERROR', error: 'the function threw', samples: 0 })], {}, noTests);
    expect(rows[0]).toMatchObject({ verdict: 'ERROR', measured: null, samples: null });
    expect(rows[0].notes[0]).toMatch(/measurement failed in a\.test\.ts › a: the function threw/);
  });

  test('one slo measured by two matchers or in two units is a configuration error, never a merge', () => {
    const a = rec({ slo: 'x', testName: 't1' });
    const b = rec({ slo: 'x', testName: 't2', matcher: 'toUseMemoryUnder', unit: 'bytes', stat: 'retained', target: 10_000_000, noGo: 10_000_000, targetText: '10MB', estimate: 1000, low: 900, high: 1100 });
    const { rows, configErrors } = buildRows([a, b], {}, noTests);
    expect(rows[0]).toMatchObject({ slo: 'x', verdict: 'ERROR', records: [a.ref, b.ref], measured: null });
    const why = 'SLO "x" is measured by toRunUnder (ns) in a.test.ts › t1 and toUseMemoryUnder (bytes) in a.test.ts › t2: one row compares one quantity, so these are not merged; give each measurement its own slo name';
    expect(configErrors).toEqual([{ slo: 'x', message: why, record: b.ref }]);
    expect(rows[0].notes).toEqual([why, 'toRunUnder p50 [8.2ns 8.5ns 8.8ns] → PASS (target 10us) in a.test.ts › t1', 'toUseMemoryUnder retained [900B 1kB 1.1kB] → PASS (target 10MB) in a.test.ts › t2']);
    // Same matcher, two units (toHaveOverheadUnder in ns and in percent) is refused too.
    const { configErrors: two } = buildRows([rec({ slo: 'y', matcher: 'toHaveOverheadUnder' }), rec({ slo: 'y', matcher: 'toHaveOverheadUnder', unit: 'percent' })], {}, noTests);
    expect(two[0].message).toMatch(/^SLO "y" is measured by toHaveOverheadUnder \(ns\) in .* and toHaveOverheadUnder \(percent\) in /);
  });

  test('a declared row nobody measured is MISSING, with its declared lines', () => {
    const { rows, configErrors } = buildRows([], { startup: { tier: 'must', target: '100ms', noGo: '500ms', description: 'first access' } }, noTests);
    expect(configErrors).toEqual([]);
    expect(rows[0]).toMatchObject({ slo: 'startup', tier: 'must', declared: true, verdict: 'MISSING', targetText: '100ms', noGoText: '500ms', description: 'first access', measured: null });
    expect(rows[0].notes).toEqual(['declared in slos, but no test measured it']);
  });

  test('a MISSING declared row names its test when the test failed, timed out or was skipped', () => {
    const tests = new TestIndex(
      aggregated([
        file(FILE_A, [tcase('throws', 'failed', ['Error: boom\n    at x']), tcase('slow', 'failed', ['thrown: "Exceeded timeout of 5000 ms for a test.']), tcase('later', 'pending')]),
      ]),
    );
    const decls = { throws: { tier: 'must' as const }, slow: { tier: 'must' as const }, later: { tier: 'should' as const } };
    const { rows } = buildRows([], decls, tests);
    expect(rows.map((r) => [r.slo, r.testStatus, r.notes[0]])).toEqual([
      ['throws', 'failed', 'its test failed before measuring: Error: boom'],
      ['slow', 'failed', 'its test failed before measuring: timed out'],
      ['later', 'skipped', 'its test was skipped'],
    ]);
  });

  test('a test reported with a bare title (jest-light-runner) joins on describe titles + title; a whole fullName is kept', () => {
    const tests = new TestIndex(
      aggregated([
        file(FILE_A, [
          { fullName: 'runs fast', title: 'runs fast', ancestorTitles: ['parser', 'json'], status: 'passed' },
          { fullName: 'jest names it whole', title: 'jest names it whole', ancestorTitles: [], status: 'failed', failureMessages: ['Error: x'] },
        ]),
      ]),
    );
    expect(tests.lookup(FILE_A, 'parser json runs fast').status).toBe('passed');
    expect(tests.lookup(FILE_A, 'runs fast').status).toBe('unknown');
    expect(tests.lookup(FILE_A, 'jest names it whole').status).toBe('failed');
  });

  test('records join their tests: a record from a failed or skipped test still shows, with the status', () => {
    const tests = new TestIndex(
      aggregated([
        file(FILE_A, [tcase('a', 'failed', ['\u001b[31mexpect(received).toRunUnder(target)\u001b[39m\n\nExpected p50 to be under 10µs, tier must.'])]),
        file(FILE_B, [tcase('b', 'pending')]),
      ]),
    );
    const { rows } = buildRows([rec({ slo: 'a', verdict: 'FAIL' }), rec({ slo: 'b', testPath: FILE_B })], {}, tests);
    expect(rows[0].tests).toEqual([{ testPath: FILE_A, testName: 'a', status: 'failed', reason: 'Expected p50 to be under 10µs, tier must.' }]);
    expect(rows[1]).toMatchObject({ verdict: 'PASS', testStatus: 'skipped' });
    expect(rows[1].notes).toContain('test skipped: b');
  });

  test('a record from a file that failed to run is "crashed"; one without any Jest result is "unknown"', () => {
    const tests = new TestIndex(aggregated([file(FILE_A, [], { message: 'Jest worker encountered 4 child process exceptions, exceeding retry limit' })]));
    const { rows } = buildRows([rec({ slo: 'a' }), rec({ slo: 'b', testPath: '/elsewhere.test.ts' })], {}, tests);
    expect(rows[0].tests[0]).toMatchObject({ status: 'crashed', reason: 'Jest worker encountered 4 child process exceptions, exceeding retry limit' });
    expect(rows[1].tests[0]).toMatchObject({ status: 'unknown', reason: 'no Jest result for this file' });
  });

  test('a record whose tier differs from its declaration is a configuration error; the declared tier stands', () => {
    const r = rec({ slo: 'a', tier: 'nice' });
    const { rows, configErrors } = buildRows([r], { a: { tier: 'must' } }, noTests);
    expect(rows[0].tier).toBe('must');
    expect(configErrors).toEqual([{ slo: 'a', record: r.ref, message: `SLO "a" is declared tier 'must' in the reporter's slos option, but a.test.ts › a measured it as tier 'nice'` }]);
  });

  test('a record whose target or noGo differs from its declaration is a configuration error', () => {
    const { configErrors } = buildRows([rec({ slo: 'a', target: 20_000, targetText: '20us' })], { a: { tier: 'must', target: '10us', noGo: '10us' } }, noTests);
    expect(configErrors.map((e) => e.message)).toEqual([`SLO "a" is declared with target "10us", but a.test.ts › a measured it against "20us"`]);
    expect(buildRows([rec({ slo: 'a' })], { a: { tier: 'must', target: '0.01ms' } }, noTests).configErrors).toEqual([]);
  });

  test('records of one undeclared row with different tiers: a configuration error, and the strictest tier stands', () => {
    const { rows, configErrors } = buildRows([rec({ slo: 'a', tier: 'nice' }), rec({ slo: 'a', tier: 'should' })], {}, noTests);
    expect(rows[0].tier).toBe('should');
    expect(configErrors[0].message).toMatch(/SLO "a" is measured with different tiers \('nice', 'should'\)/);
  });

  test('rows are ordered by tier, then declared rows in declaration order, then the rest by name', () => {
    const decls = { zeta: { tier: 'should' as const }, beta: { tier: 'must' as const }, alpha: { tier: 'must' as const } };
    const records = [rec({ slo: 'alpha' }), rec({ slo: 'y-undeclared', tier: 'must' }), rec({ slo: 'b-undeclared', tier: 'nice' }), rec({ slo: 'a-undeclared', tier: 'must' })];
    const { rows } = buildRows(records, decls, noTests);
    expect(rows.map((r) => r.slo)).toEqual(['beta', 'alpha', 'a-undeclared', 'y-undeclared', 'zeta', 'b-undeclared']);
  });

  test('overlapped records mark their row', () => {
    const r = rec({ slo: 'a' });
    const { rows } = buildRows([r, rec({ slo: 'b' })], {}, noTests, new Set([r.ref]));
    expect(rows.map((x) => x.overlapped)).toEqual([true, false]);
  });
});
