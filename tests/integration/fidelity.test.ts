/**
 * Production fidelity through the real Jest CLI, in Jest's default environment (the VM
 * sandbox), on two fixture projects (plain JS; TypeScript through ts-jest) that load
 * rt-slo-reporter from dist/ by name: the matrix says where its numbers were measured and marks
 * the sandboxed rows, report.json carries each record's fidelity and the run's summary, and the
 * issue's comparison (fast-deep-equal over lodash.isEqual, 3.3x in plain Node) passes `by: 2`
 * through outsideSandbox. The in-sandbox side of that comparison is recorded, never asserted.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { linkPackage, matrixOf, REPO, rowLine, runJest, type JestRun } from '../fixtures/reporter/harness';
import type { ReportRecord } from '../../src/reporter/report';

const FIDELITY = path.join(REPO, 'tests/fixtures/fidelity');
const CHILD_TIMEOUT = 120_000;
// Wide enough that the fidelity line and SLO names do not wrap.
const WIDE = { COLUMNS: '200' };

/** The fixtures resolve `rt-slo-reporter` through tests/fixtures/fidelity/node_modules. */
beforeAll(() => linkPackage(FIDELITY));

function run(fixture: string, args: string[] = []): Promise<JestRun> {
  return runJest(fixture, ['--reporters=default', '--reporters=rt-slo-reporter', ...args], WIDE, path.join(FIDELITY, fixture));
}

function record(r: JestRun, slo: string): ReportRecord {
  const found = r.report?.records.find((x) => x.slo === slo);
  if (!found) throw new Error(`no record of ${slo}; stderr:\n${r.stderr}`);
  return found;
}

describe.each(['plain-js', 'ts-jest'])('fidelity, real Jest CLI: %s', (fixture) => {
  test(
    'sandbox line and row marks; records say where; fast-deep-equal beats lodash.isEqual by 2x outside the sandbox',
    async () => {
      const r = await run(fixture);
      const matrix = matrixOf(r.stderr);
      expect(matrix).toMatch(/^† Measured inside Jest's VM sandbox: global lookups \d+(\.\d)?× slower than plain Node here; unmarked rows were measured outside it \(see docs\/fidelity\.md\)$/m);
      expect(rowLine(r.stderr, 'deep-equal/in_sandbox')).toMatch(/^NICE +deep-equal\/in_sandbox † /);
      expect(rowLine(r.stderr, 'deep-equal/outside_sandbox')).toMatch(/^MUST +deep-equal\/outside_sandbox +≥2x .* PASS$/);
      expect(rowLine(r.stderr, 'probe/outside_sandbox')).not.toContain('†');

      const inside = record(r, 'deep-equal/in_sandbox');
      const outside = record(r, 'deep-equal/outside_sandbox');
      const probe = record(r, 'probe/outside_sandbox');
      expect(inside.fidelity?.context).toBe('jest-sandbox');
      // A lower bound (see the probe in src/measure/engine.ts): only "slower" is certain on a loaded machine.
      expect(inside.fidelity?.penalty).toBeGreaterThan(1);
      expect(outside.fidelity).toEqual({ context: 'main-context' });
      expect(probe.fidelity).toEqual({ context: 'main-context' });
      expect(outside).toMatchObject({ verdict: 'PASS', testStatus: 'passed' });
      expect(r.report?.run.fidelity).toEqual({
        contexts: { 'jest-sandbox': 1, 'main-context': 2 },
        production: false,
        penalty: inside.fidelity?.penalty,
        line: expect.stringMatching(/^† Measured inside Jest's VM sandbox/),
      });
      // The figures, for the record (the in-sandbox verdict is typically FAIL: 0.71x in the issue).
      process.stdout.write(`${fixture}: penalty ${inside.fidelity?.penalty}x; speedup in sandbox ${inside.estimate.toFixed(2)}x (${inside.verdict}), outside ${outside.estimate.toFixed(2)}x (${outside.verdict}); probe outside ${probe.estimate.toFixed(1)} ns\n`);
    },
    CHILD_TIMEOUT,
  );
});

test(
  'a run measured entirely outside the sandbox says so',
  async () => {
    const r = await run('plain-js', ['-t', 'outside']);
    expect(matrixOf(r.stderr)).toMatch(/^Measured outside Jest's VM sandbox \(production fidelity\)$/m);
    expect(matrixOf(r.stderr)).not.toContain('†');
    expect(r.report?.run.fidelity).toEqual({ contexts: { 'main-context': 2 }, production: true, penalty: null, line: "Measured outside Jest's VM sandbox (production fidelity)" });
  },
  CHILD_TIMEOUT,
);

test('plain Node (no sandbox): context bare-node, no probe', () => {
  const out = execFileSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(REPO, 'dist/index.js'))}).fidelity().then((f) => console.log(JSON.stringify(f)))`], { encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual({ context: 'bare-node' });
});
