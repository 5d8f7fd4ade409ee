import { countsText, countByTier, decide } from '../../src/reporter/decide';
import type { FailOn } from '../../src/reporter/options';
import type { Completeness } from '../../src/reporter/results';
import type { RowVerdict, SloRow } from '../../src/reporter/rows';
import type { Tier } from '../../src/types';

function row(tier: Tier, verdict: RowVerdict, slo = `${tier}-${verdict}`): SloRow {
  return { slo, tier, verdict } as SloRow;
}

const COMPLETE: Completeness = {
  complete: true,
  totalFiles: 3,
  ranFiles: 3,
  failedToRun: [],
  interrupted: false,
  shard: null,
  tests: { total: 5, passed: 5, failed: 0, skipped: 0, todo: 0 },
};
const CRASHED: Completeness = { ...COMPLETE, complete: false, failedToRun: [{ testPath: '/x.test.js', reason: 'worker died' }] };
const FAILED_TESTS: Completeness = { ...COMPLETE, tests: { ...COMPLETE.tests, passed: 4, failed: 1 } };

function run(rows: SloRow[], failOn: FailOn = 'no-go', completeness = COMPLETE, configErrors = 0) {
  return decide({ rows, completeness, configErrors, failOn });
}

describe('decide', () => {
  test('GO when every MUST row is PASS; SHOULD and NICE rows never decide', () => {
    const d = run([row('must', 'PASS'), row('should', 'FAIL'), row('nice', 'MISSING')]);
    expect(d.verdict).toBe('GO');
    expect(d.failsRun).toBe(false);
    expect(d.line).toBe('Decision: GO — MUST 1/1 pass; SHOULD 0/1; NICE 0/1');
  });

  test.each(['FAIL', 'MISSING'] as const)('NO-GO when any MUST row is %s', (v) => {
    const d = run([row('must', 'PASS'), row('must', v, 'bad')]);
    expect(d.verdict).toBe('NO-GO');
    expect(d.failsRun).toBe(true);
    expect(d.reasons[0]).toMatch(/^MUST row "bad"/);
  });

  test('GO WITH WARNINGS when a MUST row is WARN and none FAIL or MISSING; the seed\'s line format', () => {
    const rows = [...Array(6).fill(0).map((_, i) => row('must', 'PASS', `m${i}`)), row('must', 'WARN'), row('should', 'PASS'), row('should', 'PASS'), row('should', 'WARN'), row('nice', 'PASS'), row('nice', 'FAIL'), row('nice', 'WARN')];
    const d = run(rows);
    expect(d.verdict).toBe('GO WITH WARNINGS');
    expect(d.line).toBe('Decision: GO WITH WARNINGS — MUST 6/7 pass, 1 warn; SHOULD 2/3; NICE 1/3');
    expect(d.failsRun).toBe(false);
  });

  test('failOn: warnings fails GO WITH WARNINGS; never fails nothing; no-go fails NO-GO only', () => {
    const warn = [row('must', 'WARN')];
    const nogo = [row('must', 'FAIL')];
    expect([run(warn, 'no-go').failsRun, run(warn, 'warnings').failsRun, run(warn, 'never').failsRun]).toEqual([false, true, false]);
    expect([run(nogo, 'no-go').failsRun, run(nogo, 'warnings').failsRun, run(nogo, 'never').failsRun]).toEqual([true, true, false]);
    expect(run([row('must', 'PASS')], 'warnings').failsRun).toBe(false);
  });

  test('an incomplete run is never GO: a crashed file may have held rows', () => {
    const d = run([row('must', 'PASS')], 'no-go', CRASHED);
    expect(d.verdict).toBe('NO-GO');
    expect(d.reasons.join()).toMatch(/the run is incomplete \(1 of 3 test files did not finish\)/);
    expect(d.failsRun).toBe(true);
  });

  test('configuration errors fail the run whatever failOn says', () => {
    const d = run([row('must', 'PASS')], 'never', COMPLETE, 2);
    expect(d.verdict).toBe('GO');
    expect(d.failsRun).toBe(true);
    expect(d.reasons).toContain('2 configuration errors (they fail the run whatever failOn says)');
  });

  describe('NO DATA: no rows at all', () => {
    test('says so, and passes a complete run without test failures', () => {
      const d = run([]);
      expect(d.verdict).toBe('NO DATA');
      expect(d.line).toBe('Decision: NO DATA — no SLO was measured and none is declared');
      expect(d.failsRun).toBe(false);
    });
    test('fails when tests failed (they may have failed before measuring)', () => {
      const d = run([], 'no-go', FAILED_TESTS);
      expect(d.failsRun).toBe(true);
      expect(d.reasons).toContain('1 test failed, possibly before measuring');
    });
    test('fails when a test file did not run', () => {
      expect(run([], 'warnings', CRASHED).failsRun).toBe(true);
    });
    test('failOn never passes it', () => {
      expect(run([], 'never', CRASHED).failsRun).toBe(false);
    });
  });

  test('a MUST row that could not be measured (ERROR) is NO-GO; a SHOULD one is not', () => {
    const d = run([row('must', 'PASS'), row('must', 'ERROR', 'hangs')]);
    expect(d.verdict).toBe('NO-GO');
    expect(d.reasons).toEqual(['MUST row "hangs" could not be measured (ERROR)']);
    expect(run([row('must', 'PASS'), row('should', 'ERROR', 'hangs')]).verdict).toBe('GO');
  });

  test('a test that failed or timed out before recording, in an SLO file, is never a clean GO', () => {
    const c: Completeness = {
      ...COMPLETE,
      unrecorded: [
        { testPath: '/p/a.test.js', testName: 'hangs', timedOut: true, reason: 'timed out' },
        { testPath: '/p/a.test.js', testName: 'throws', timedOut: false, reason: 'Error: boom' },
      ],
    };
    const d = run([row('must', 'PASS')], 'no-go', c);
    expect(d).toMatchObject({ verdict: 'NO-GO', failsRun: true });
    expect(d.reasons).toEqual([
      '1 SLO test timed out before recording (a.test.js › hangs): a measurement may be lost',
      '1 SLO test failed before recording (a.test.js › throws): a measurement may be lost',
    ]);
  });

  test('counts per tier', () => {
    const counts = countByTier([row('must', 'PASS'), row('must', 'FAIL'), row('must', 'MISSING'), row('must', 'WARN'), row('must', 'ERROR'), row('nice', 'PASS')]);
    expect(counts.must).toEqual({ total: 5, pass: 1, warn: 1, fail: 1, missing: 1, error: 1 });
    expect(countsText(counts)).toBe('MUST 1/5 pass, 1 warn, 1 fail, 1 error, 1 missing; SHOULD 0/0; NICE 1/1');
  });
});
