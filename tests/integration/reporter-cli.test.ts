/**
 * The reporter as users run it: the real Jest CLI in a child process, on fixture projects
 * that load rt-slo-reporter by name from dist/ (tests/fixtures/reporter/harness.ts).
 */
import { matrixOf, rowLine, runJest } from '../fixtures/reporter/harness';

const ANSI = /\u001b\[[0-9;]*m/;
const CHILD_TIMEOUT = 120_000;

describe('reporter, real Jest CLI', () => {
  test(
    'all pass (two projects, TypeScript through ts-jest and plain JS; CLI --reporters): exit 0, GO, after Jest\'s summary',
    async () => {
      const run = await runJest('all-pass', ['--reporters=default', '--reporters=rt-slo-reporter']);
      expect(run.stderr).toMatch(/Tests: +4 passed, 4 total/);
      expect(run.code).toBe(0);
      const matrix = matrixOf(run.stderr);
      expect(run.stderr.indexOf('Ran all test suites')).toBeLessThan(run.stderr.indexOf('SLO decision matrix'));
      expect(matrix).toMatch(/^Tier +SLO +Target +NO-GO +Measured/m);
      expect(rowLine(run.stderr, 'execute')).toMatch(/^MUST +execute.* ≤1ms +— +\[.+ +\d+ +PASS$/);
      expect(rowLine(run.stderr, 'execute/with_')).toMatch(/^MUST +execute\/with_.* ≤1ms +>10ms +\[.+ +\d+ +PASS$/);
      expect(rowLine(run.stderr, 'async')).toMatch(/^SHOULD +async.* ≤5ms .* PASS$/);
      expect(rowLine(run.stderr, 'string')).toMatch(/^NICE +string.* ≤1ms .* PASS$/);
      expect(matrix).toMatch(/^Decision: GO — MUST 2\/2 pass; SHOULD 1\/1; NICE 1\/1$/m);
      expect(matrix).not.toMatch(ANSI);
      for (const line of matrix.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);

      const report = run.report;
      expect(report?.decision).toMatchObject({ verdict: 'GO', failsRun: false });
      expect(report?.rows.map((r) => [r.slo, r.tier, r.verdict, r.testStatus])).toEqual([
        ['execute simple_return', 'must', 'PASS', 'passed'],
        ['execute/with_computation', 'must', 'PASS', 'passed'],
        ['async return', 'should', 'PASS', 'passed'],
        ['string concat', 'nice', 'PASS', 'passed'],
      ]);
      expect(report?.records).toHaveLength(4);
      expect(new Set(report?.records.map((r) => r.ref)).size).toBe(4);
      expect(report?.records.map((r) => r.testPath.replace(/.*all-pass\//, '')).sort()).toEqual(['js/async.test.js', 'js/async.test.js', 'ts/latency.test.ts', 'ts/latency.test.ts']);
      expect(report?.run).toMatchObject({ complete: true, totalFiles: 2, ranFiles: 2, shard: null });
    },
    CHILD_TIMEOUT,
  );

  test(
    'a MUST row beyond its NO-GO limit: exit 1, FAIL, NO-GO',
    async () => {
      const run = await runJest('no-go');
      expect(run.code).toBe(1);
      expect(rowLine(run.stderr, 'busy 200us')).toMatch(/^MUST +busy 200us † +≤20µs +>50µs +\[.+ +\d+ +FAIL$/);
      expect(rowLine(run.stderr, 'noop')).toMatch(/PASS$/);
      expect(matrixOf(run.stderr)).toMatch(/^Decision: NO-GO — MUST 1\/2 pass, 1 fail; SHOULD 0\/0; NICE 0\/0$/m);
      expect(run.report?.decision).toMatchObject({ verdict: 'NO-GO', failsRun: true });
      expect(run.report?.rows.find((r) => r.slo === 'busy 200us')).toMatchObject({ verdict: 'FAIL', testStatus: 'failed' });
    },
    CHILD_TIMEOUT,
  );

  test(
    'every test passes but a declared MUST row is missing (--runInBand): exit 1, MISSING',
    async () => {
      const run = await runJest('missing', ['--runInBand']);
      expect(run.stderr).toMatch(/Tests: +2 passed, 2 total/);
      expect(run.code).toBe(1);
      expect(rowLine(run.stderr, 'startup')).toMatch(/^MUST +startup.* ≤100ms +>500ms +— +— +MISSING$/);
      // One test file: Jest turns --verbose on, and the reporter follows it.
      expect(matrixOf(run.stderr)).toMatch(/^MUST {2}startup time {2}MISSING\n {4}first access\n {4}target: {3}≤100ms NO-GO >500ms\n {4}note: {5}declared in slos, but no test measured it$/m);
      expect(matrixOf(run.stderr)).toMatch(/^Decision: NO-GO — MUST 1\/2 pass, 1 missing; SHOULD 0\/0; NICE 0\/0$/m);
      expect(run.report?.rows.map((r) => [r.slo, r.verdict])).toEqual([
        ['noop', 'PASS'],
        ['startup time', 'MISSING'],
      ]);
      expect(run.report?.rows[1]).toMatchObject({ declared: true, description: 'first access', measured: null });
      // In band, the record came from Jest's own process.
      expect(run.report?.records.map((r) => r.pid)).toEqual([run.pid]);
    },
    CHILD_TIMEOUT,
  );

  describe('failOn', () => {
    test(
      'a MUST WARN passes with no-go (the default), fails with warnings',
      async () => {
        const [byDefault, warnings] = [await runJest('failon'), await runJest('failon', [], { FAIL_ON: 'warnings' })];
        for (const run of [byDefault, warnings]) {
          expect(run.stderr).toMatch(/Tests: +1 passed, 1 total/);
          expect(rowLine(run.stderr, 'busy 200us')).toMatch(/^MUST +busy 200us † +≤50µs +>10ms +.* WARN$/);
          expect(matrixOf(run.stderr)).toMatch(/^Decision: GO WITH WARNINGS — MUST 0\/1 pass, 1 warn; SHOULD 0\/0; NICE 0\/0$/m);
        }
        expect(byDefault.code).toBe(0);
        expect(byDefault.report?.decision).toMatchObject({ failOn: 'no-go', failsRun: false });
        expect(warnings.code).toBe(1);
        expect(warnings.report?.decision).toMatchObject({ failOn: 'warnings', failsRun: true });
        expect(matrixOf(warnings.stderr)).toMatch(/rt-slo-reporter fails the run \(failOn: 'warnings'\)/);
      },
      CHILD_TIMEOUT,
    );

    test(
      'never: a NO-GO is reported and the run passes',
      async () => {
        const run = await runJest('failon', [], { FAIL_ON: 'never', DECLARE_MISSING: '1' });
        expect(run.code).toBe(0);
        expect(rowLine(run.stderr, 'never')).toMatch(/MISSING$/);
        expect(matrixOf(run.stderr)).toMatch(/^Decision: NO-GO — MUST 0\/2 pass, 1 warn, 1 missing; SHOULD 0\/0; NICE 0\/0$/m);
        expect(run.report?.decision).toMatchObject({ verdict: 'NO-GO', failOn: 'never', failsRun: false });
      },
      CHILD_TIMEOUT,
    );
  });

  describe('bad configuration stops the run before any test, naming the option', () => {
    test.each([
      ['unknown-option', /rt-slo-reporter: unknown option "failon"; accepted options: slos, failOn, outputDir, verbose/],
      ['bad-failOn', /rt-slo-reporter: option failOn must be one of 'no-go', 'warnings', 'never'; received "sometimes"/],
      ['bad-tier', /rt-slo-reporter: option slos\["execute overhead"\]\.tier must be one of 'must', 'should', 'nice'; received "critical"/],
      ['noGo-below-target', /rt-slo-reporter: option slos\["execute overhead"\]\.noGo \("5us"\) must be at least the target \("10us"\)/],
      ['unwritable-outputDir', /rt-slo-reporter: option outputDir: cannot write report.json into ".*jest\.config\.js\/reports" \(ENOTDIR/],
    ])(
      '%s',
      async (configCase, message) => {
        const run = await runJest('config-error', [], { CONFIG_CASE: configCase });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(message);
        expect(run.stderr).not.toMatch(/Tests:/);
        expect(run.report).toBeUndefined();
      },
      CHILD_TIMEOUT,
    );

    test(
      'a matcher contradicting a declared tier throws in its test; the row is MISSING',
      async () => {
        const run = await runJest('config-error', [], { CONFIG_CASE: 'tier-conflict' });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/TypeError: toRunUnder: tier 'should' conflicts with the declaration of SLO "execute overhead" in the reporter's slos option \(tier 'must'\)/);
        expect(rowLine(run.stderr, 'execute')).toMatch(/^MUST +execute.* ≤1ms .* MISSING$/);
        expect(run.report?.rows[0].notes[0]).toMatch(/^its test failed before measuring: TypeError: toRunUnder: tier 'should' conflicts/);
      },
      CHILD_TIMEOUT,
    );
  });
});
