/**
 * Production fidelity through jest-light-runner: the real Jest CLI on fixture projects
 * (tests/fixtures/light-runner/{js,ts}) whose test files run in bare Node worker threads, no VM
 * sandbox, loading rt-slo-reporter by name from dist/ as an installed package does.
 */
import path from 'node:path';
import { REPO, linkPackage, matrixOf, rowLine, runJest, type JestRun } from '../fixtures/reporter/harness';
import type { ReportRecord } from '../../src/reporter/report';

const ROOT = path.join(REPO, 'tests/fixtures/light-runner');
const CHILD_TIMEOUT = 120_000;

/** node_modules/rt-slo-reporter → repository root, beside the light-runner fixtures. */
beforeAll(() => linkPackage(ROOT));

function run(project: 'js' | 'ts', args: string[], env: Record<string, string> = {}): Promise<JestRun> {
  return runJest(project, args, env, path.join(ROOT, project));
}

function recordOf(r: JestRun, slo: string): ReportRecord {
  const found = r.report?.records.filter((x) => x.slo === slo) ?? [];
  expect(found).toHaveLength(1);
  return found[0];
}

const file = (rec: { testPath: string }): string => path.basename(rec.testPath);

describe('jest-light-runner (bare Node), real Jest CLI', () => {
  test(
    'JavaScript, 7 files on 2 worker threads: every record reaches the reporter, with its own file, and every matcher measures',
    async () => {
      const r = await run('js', ['--maxWorkers=2']);
      expect(r.stderr).toMatch(/Tests: +3 skipped, 11 passed, 14 total/);
      const report = r.report!;
      expect(report.run).toMatchObject({ complete: true, totalFiles: 7, ranFiles: 7, maxWorkers: 2 });

      // The record channel (RT_SLO_RUN_DIR, set in the reporter's constructor) reached both
      // worker threads: one process, one record file per thread, all ten records collected.
      const recs = report.records;
      expect(recs).toHaveLength(10);
      expect(new Set(recs.map((x) => x.pid))).toEqual(new Set([r.pid]));
      expect(new Set(recs.map((x) => x.worker))).toEqual(new Set(['1', '2']));
      expect(new Set(recs.map((x) => x.ref.replace(/:\d+$/, '')))).toEqual(new Set([`records-${r.pid}-1.jsonl`, `records-${r.pid}-2.jsonl`]));
      expect(new Set(recs.map((x) => x.id)).size).toBe(10);
      // Module state is shared by the files of one thread: each record still names its own file and test.
      expect(recs.map((x) => [x.slo, file(x), x.testName]).sort()).toEqual(
        [
          ['busy 100us, fake timers', 'timers.test.js', 'jest.useFakeTimers() neither zeroes nor hangs a measurement'],
          ['busy 50us', 'second.test.js', 'busy 50us'],
          ['cold start', 'threads.test.js', 'startup: a module cold-starts in a fresh worker thread'],
          ['cpu task threads', 'threads.test.js', 'inThreads: independent CPU work scales to 2 threads'],
          ['deep equal vs lodash', 'latency.test.js', 'fast-deep-equal is faster than lodash.isEqual outside the sandbox'],
          ['keeps 1KiB per call', 'memory.test.js', 'toLeakMemory: a function keeping 1 KiB per call leaks'],
          ['noop call', 'latency.test.js', 'noop call'],
          ['noop call', 'second.test.js', 'second file: noop call again'],
          ['pure function leak', 'memory.test.js', 'not.toLeakMemory: a pure function'],
          ['retains 8MB', 'memory.test.js', 'toUseMemoryUnder: 8 MB kept by the call is measured as about 8 MB'],
        ].sort(),
      );
      // Declarations reached every thread: both 'noop call' records took the declared NO-GO.
      for (const x of recs.filter((y) => y.slo === 'noop call')) expect(x).toMatchObject({ tier: 'must', noGo: 10_000_000 });

      // Outside the sandbox fast-deep-equal is several times faster than lodash.isEqual (inside
      // it, 0.71×: docs/design-notes.md); the claim asks for 1.5×.
      const speed = recordOf(r, 'deep equal vs lodash');
      expect(speed).toMatchObject({ matcher: 'toBeFasterThan', tier: 'should', verdict: 'PASS' });
      expect(speed.low).toBeGreaterThan(1.5);

      // Fake timers: the measured figure is the real 100 µs spin, neither zero nor hung.
      const faked = recordOf(r, 'busy 100us, fake timers');
      expect(faked.verdict).toBe('PASS');
      expect(faked.estimate).toBeGreaterThan(90_000);
      expect(faked.estimate).toBeLessThan(10_000_000);

      // Memory with gc() forced without --expose-gc, in a worker thread's heap.
      const kept = recordOf(r, 'retains 8MB');
      expect(kept).toMatchObject({ matcher: 'toUseMemoryUnder', verdict: 'PASS' });
      expect(kept.estimate).toBeGreaterThan(8 * 1024 * 1024 * 0.98);
      expect(kept.estimate).toBeLessThan(8 * 1024 * 1024 * 1.1);
      const leak = recordOf(r, 'keeps 1KiB per call');
      expect(leak).toMatchObject({ matcher: 'toLeakMemory', negated: false, verdict: 'PASS' });
      // new Array(128) of small integers: 16 B header + 128 × 8 B elements, plus the slot in `leaked`.
      expect(leak.estimate).toBeGreaterThan(1000);
      expect(leak.estimate).toBeLessThan(1300);
      const pure = recordOf(r, 'pure function leak');
      expect(pure).toMatchObject({ negated: true, verdict: 'PASS' });
      expect(pure.high).toBeLessThan(16);

      // Threads nested in a light-runner thread: inThreads and startup measure.
      const threads = recordOf(r, 'cpu task threads');
      expect(threads.matcher).toBe('toScaleLinearly');
      // Scaling to 2 threads on a shared 2-core machine can be load-bound (then inconclusive, WARN).
      expect(['PASS', 'WARN']).toContain(threads.verdict);
      expect(threads.estimate).toBeGreaterThan(0.5);
      const cold = recordOf(r, 'cold start');
      expect(cold).toMatchObject({ matcher: 'toStartUnder', verdict: 'PASS' });
      expect(cold.estimate).toBeGreaterThan(0);
      expect(cold.estimate).toBeLessThan(5e9);

      // Two threads measured at once: the overlap warning, in the matrix and report.json.
      expect(matrixOf(r.stderr)).toMatch(/^Warning: \d+ measurements in 2 Jest workers ran at the same time/m);
      expect(report.problems.overlap).toMatchObject({ detected: true, workers: [`${r.pid}:1`, `${r.pid}:2`] });

      // The decision: no MUST row fails, so the run passes (WARNs from load are allowed).
      expect(rowLine(r.stderr, 'noop call')).toMatch(/^MUST +noop call +≤1ms +>10ms .*(PASS|WARN)$/);
      expect(['GO', 'GO WITH WARNINGS']).toContain(report.decision.verdict);
      expect(report.decision.failsRun).toBe(false);
      expect(r.code).toBe(0);
    },
    CHILD_TIMEOUT,
  );

  test(
    'NO-GO in band (the main thread runs the files beside the reporter): exit 1, the FAIL row and the MISSING ones',
    async () => {
      const r = await run('js', ['--runInBand', '--testPathPatterns', 'nogo|second'], { RT_LR_NOGO: '1' });
      expect(r.stderr).toMatch(/Tests: +1 failed, 2 passed, 3 total/);
      expect(r.code).toBe(1);
      expect(rowLine(r.stderr, 'busy 200us')).toMatch(/^MUST +busy 200us +≤20µs +>50µs +\[.+ +\d+ +FAIL$/);
      expect(rowLine(r.stderr, 'cold start')).toMatch(/MISSING$/);
      expect(matrixOf(r.stderr)).toMatch(/^Decision: NO-GO — MUST 1\/3 pass, 1 fail, 1 missing; SHOULD 1\/2/m);
      const report = r.report!;
      expect(report.decision).toMatchObject({ verdict: 'NO-GO', failsRun: true });
      expect(report.rows.find((x) => x.slo === 'busy 200us')).toMatchObject({ verdict: 'FAIL', testStatus: 'failed' });
      // In band the light runner uses Jest's own process and thread: records carry its pid.
      expect(new Set(report.records.map((x) => x.pid))).toEqual(new Set([r.pid]));
      expect(report.records.map((x) => [x.slo, file(x)]).sort()).toEqual(
        [
          ['busy 200us', 'nogo.test.js'],
          ['busy 50us', 'second.test.js'],
          ['noop call', 'second.test.js'],
        ].sort(),
      );
      expect(report.problems.overlap).toMatchObject({ detected: false, records: [] });
    },
    CHILD_TIMEOUT,
  );

  test(
    'fake timers replace node:timers on the real global: installed before the first matcher call of a thread, they neither freeze a measurement nor keep a hung call or isolate from its timeout (ERROR rows)',
    async () => {
      // Two files on two threads: in each, jest.useFakeTimers() runs before any matcher has loaded the engine.
      const r = await run('js', ['--maxWorkers=2', '--testPathPatterns', 'hang|timers'], { RT_LR_HANG: '1' });
      expect(r.stderr).toMatch(/Tests: +2 failed, 1 passed, 3 total/);
      expect(r.stderr).toMatch(/toStartUnder: no reply within 500 ms while loading .*hang-module\.js and calling hang\(\)/);
      expect(r.stderr).toMatch(/CallTimeoutError: the measured function did not settle within 300ms \(timeout\)/);
      expect(r.code).toBe(1);
      expect(rowLine(r.stderr, 'hung start')).toMatch(/^SHOULD +hung start +≤1s .* ERROR$/);
      expect(rowLine(r.stderr, 'never settles')).toMatch(/^SHOULD +never settles +≤1ms .* ERROR$/);
      expect(r.report?.rows.find((x) => x.slo === 'hung start')).toMatchObject({ verdict: 'ERROR', testStatus: 'failed' });
      expect(r.report?.rows.find((x) => x.slo === 'never settles')).toMatchObject({ verdict: 'ERROR', testStatus: 'failed' });
      const faked = recordOf(r, 'busy 100us, fake timers');
      expect(faked.verdict).toBe('PASS');
      expect(faked.estimate).toBeGreaterThan(90_000);
      // Bounded by the timeouts, not by this test's own deadline.
      expect(r.ms).toBeLessThan(60_000);
    },
    CHILD_TIMEOUT,
  );

  test(
    'TypeScript through tsx (registered in each worker by a setupFiles entry): matchers, TypeScript thread tasks and startup, fake timers',
    async () => {
      const r = await run('ts', ['--maxWorkers=2']);
      expect(r.stderr).toMatch(/Tests: +5 passed, 5 total/);
      expect(r.code).toBe(0);
      const report = r.report!;
      expect(report.records.map((x) => [x.slo, file(x)]).sort()).toEqual(
        [
          ['ts cold start', 'typed.test.ts'],
          ['ts deepEqual', 'typed.test.ts'],
          ['ts deepEqual, fake timers', 'fake-timers.test.ts'],
          ['ts task threads', 'typed.test.ts'],
        ].sort(),
      );
      expect(rowLine(r.stderr, 'ts deepEqual ')).toMatch(/^MUST +ts deepEqual +≤100µs .* PASS$/);
      const faked = recordOf(r, 'ts deepEqual, fake timers');
      expect(faked.verdict).toBe('PASS');
      expect(faked.estimate).toBeGreaterThan(10);
      // The TypeScript task was transpiled for the threads, and its verify() found every call counted.
      const threads = recordOf(r, 'ts task threads');
      expect(['PASS', 'WARN']).toContain(threads.verdict);
      expect(threads.estimate).toBeGreaterThan(0.5);
      expect(recordOf(r, 'ts cold start')).toMatchObject({ matcher: 'toStartUnder', verdict: 'PASS' });
      expect(['GO', 'GO WITH WARNINGS']).toContain(report.decision.verdict);
    },
    CHILD_TIMEOUT,
  );
});
