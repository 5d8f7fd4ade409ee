/**
 * Faults on the real Jest CLI: a worker that dies (process.exit in a test, with worker
 * processes forced), a file that fails to compile, a test that throws, a test that times out,
 * a function under test that throws, a damaged record file. The matrix still prints, lost rows
 * are MISSING, and the decision is never GO.
 */
import { matrixOf, rowLine, runJest } from '../fixtures/reporter/harness';

test('crashes: the matrix still prints, lost rows are MISSING, the run is incomplete and NO-GO', async () => {
  const run = await runJest('crash');
  expect(run.stderr).toMatch(/Jest worker encountered 4 child process exceptions/);
  expect(run.code).toBe(1);
  const matrix = matrixOf(run.stderr);
  // Notes wrap to 80 columns: compare them with whitespace folded.
  const flat = matrix.replace(/\s+/g, ' ');

  expect(rowLine(run.stderr, 'ok')).toMatch(/^MUST +ok † +≤1ms .* PASS$/);
  // Long names wrap in the SLO column: match each row by its first word.
  for (const slo of ['dies', 'does', 'throws', 'times']) {
    expect(rowLine(run.stderr, slo)).toMatch(/MISSING$/);
  }
  // A measurement that was attempted and failed (an ERROR record) is ERROR, not MISSING.
  expect(rowLine(run.stderr, 'function')).toMatch(/ERROR$/);
  expect(flat).toContain('- its test failed before measuring: Error: boom before measuring');
  expect(flat).toContain('- its test failed before measuring: timed out');
  expect(flat).toContain('- measurement failed in throws.test.js › function under test throws: the function under test broke');
  expect(flat).toContain('- declared in slos, but no test measured it; 2 test files failed to run, so its test may be in one of them');
  // A record written before the worker died still shows, with its test's status.
  expect(rowLine(run.stderr, 'measured,')).toMatch(/^SHOULD +measured, .* PASS$/);
  expect(matrix).toMatch(/\(test crashed\)/);
  expect(flat).toContain('records-999999-9.jsonl line 1: not valid JSON');
  expect(flat).toContain('records-999999-9.jsonl line 2: truncated last line');
  expect(flat).toContain('Incomplete run: 2 of 5 test files did not finish');
  expect(matrix).toMatch(/^Decision: NO-GO — MUST 1\/6 pass, 1 error, 4 missing; SHOULD 1\/1; NICE 0\/0$/m);

  const report = run.report;
  expect(report?.decision).toMatchObject({ verdict: 'NO-GO', failsRun: true });
  expect(report?.run.complete).toBe(false);
  expect(report?.run.failedToRun.map((f) => f.testPath.replace(/.*\//, '')).sort()).toEqual(['bad-syntax.test.js', 'exits.test.js']);
  expect(Object.fromEntries(report?.rows.map((r) => [r.slo, r.verdict]) ?? [])).toEqual({
    ok: 'PASS',
    'dies before measuring': 'MISSING',
    'does not compile': 'MISSING',
    throws: 'MISSING',
    'times out': 'MISSING',
    'function under test throws': 'ERROR',
    'measured, then the worker died': 'PASS',
  });
  const died = report?.records.filter((r) => r.slo === 'measured, then the worker died') ?? [];
  // Jest retried the dying file (4 attempts), each in a new worker process: every attempt's record is kept.
  expect(died.length).toBeGreaterThanOrEqual(1);
  expect(new Set(died.map((r) => r.pid)).size).toBe(died.length);
  expect(died.every((r) => r.testStatus === 'crashed')).toBe(true);
  expect(report?.problems.badLines.map((b) => [b.file.replace(/.*\//, ''), b.line])).toEqual([
    ['records-999999-9.jsonl', 1],
    ['records-999999-9.jsonl', 2],
  ]);
}, 180_000);
