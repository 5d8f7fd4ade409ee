import type { Config } from 'jest';

/**
 * The global-runtime benchmark plan (examples/global-runtime/) as SLO tests: `npm run example`.
 *
 * Production fidelity: the test files run in bare Node under jest-light-runner, not inside
 * Jest's VM sandbox, so global lookups cost what they cost in production (docs/fidelity.md).
 * `npm run example:sandbox` (examples/jest.sandbox.config.ts) runs the same files in Jest's
 * default environment, for the side-by-side in global-runtime/README.md.
 *
 * The package is used by its name, as a user's project would: 'rt-slo-reporter' (the reporter),
 * 'rt-slo-reporter/setup' (the matchers). Inside this repository Node and Jest resolve the name
 * to the package itself through package.json "exports" (self-reference), i.e. to dist/, which
 * `npm run example` builds first.
 *
 * The declarations below are the plan's GO/NO-GO matrix. MUST rows are its GO criteria, with
 * its NO-GO limits as the hard limits; where the plan names a GO criterion but no NO-GO limit,
 * the limit chosen here is said in the row's description. SHOULD rows are the plan's per-group
 * success criteria and its SHOULD HAVE list; NICE rows its NICE TO HAVE list. The plan's
 * numbers are kept as written for Rust: where Node cannot meet them the matrix says so.
 */
const slos = {
  // ── MUST HAVE (GO criteria) ──────────────────────────────────────────────────────────────
  'execute() overhead': {
    tier: 'must',
    target: '10us',
    noGo: '100us',
    description: 'GO 1: execute() overhead < 10µs; NO-GO 1: > 100µs. p50 of execute(async { 42 }) on the warm global runtime (execute_baseline/simple_return).',
  },
  'concurrency: no degradation, no races': {
    tier: 'must',
    target: 0.75,
    noGo: 0.1,
    description:
      "GO 4: linear scaling; NO-GO 4: deadlocks or race conditions. 2, 4, 8, 10, 16 caller threads share one runtime thread, each call incrementing a shared atomic counter that is checked after every window: a lost or duplicated call, or a hang, is FAIL whatever the speed. One runtime thread serves one call at a time, so capacity is 1 and linear means aggregate throughput holds at ≥ 0.75x one caller's. The plan has no NO-GO for throughput, only for deadlocks: throughput collapsed below 0.1x (a near-stall) is counted with them.",
  },
  'concurrency: per call at 10 threads': {
    tier: 'must',
    target: '100ns',
    noGo: '1ms',
    description:
      "MUST HAVE: < 100ns per call with 10 threads. p50 of one execute() while 9 other threads call the same runtime thread. The plan gives no NO-GO for it; a call can queue behind the 9 others, so the limit here is 10x the plan's per-call NO-GO (execute() > 100µs): > 1ms.",
  },
  'speedup vs naive': {
    tier: 'must',
    target: '1000x',
    noGo: '100x',
    description: 'GO 5: 1000x+ speedup vs naive; NO-GO 5: < 100x. p50 of naiveExecute() (new runtime thread per call) ÷ p50 of execute().',
  },
  'memory usage': {
    tier: 'must',
    target: '10MB',
    noGo: '50MB',
    description:
      "MUST HAVE: memory usage < 10MB: the runtime's own memory: what its thread holds after a GC (V8 heap in use + off-heap memory, the memory matchers' measure) plus its shared buffers. The plan gives no NO-GO limit for memory: 5x the target is taken here, the plan's own ratio for startup (100ms, NO-GO 500ms). Read in the runtime's own thread after a GC there, through toUseMemoryUnder's probe option (the runtime is another isolate).",
  },
  'startup time': {
    tier: 'must',
    target: '100ms',
    noGo: '500ms',
    description: 'GO 3: startup time < 100ms; NO-GO 3: > 500ms. First access to the runtime in a fresh isolate: lazy initialisation, thread spawn and boot.',
  },
  'no memory leaks': {
    tier: 'must',
    description: 'GO 2: no memory leaks; NO-GO 2: memory leaks detected. Retained memory per execute() over 1000 small executions (memory_pressure/many_small_executions).',
  },

  // ── Per-group success criteria ──────────────────────────────────────────────────────────
  'baseline: with_computation': { tier: 'should', target: '10us', noGo: '100us', description: 'All baseline cases complete in < 10µs (NO-GO as execute() overhead).' },
  'baseline: with_micro_sleep': { tier: 'should', target: '10us', noGo: '100us', description: 'All baseline cases complete in < 10µs; the 1µs sleep is one setImmediate turn, the smallest real wait in Node.' },
  'baseline: overhead vs async work': { tier: 'should', target: '1%', description: 'Overhead is < 1% of the actual async work: execute(with_micro_sleep) against the same work on the calling thread.' },
  'naive: per-call runtime': { tier: 'should', target: '10ms', description: 'The naive approach (a runtime per call) takes > 10ms: the baseline the speedup is measured against is realistic.' },
  'workload: file I/O': { tier: 'should', target: '1ms', description: 'File I/O (100µs + 50µs): < 1ms.' },
  'workload: network I/O': { tier: 'should', target: '5ms', description: 'Network I/O (1ms + 10µs): < 5ms.' },
  'workload: CPU-bound': { tier: 'should', target: '100us', description: 'CPU-bound (1000-iteration loop): < 100µs.' },
  'memory: 1000 small executions': { tier: 'should', target: '100us', description: '1000 small executions: < 100µs in total.' },
  'memory: 1MB allocation freed': {
    tier: 'should',
    description: 'A 1MB allocation inside a task is cleaned up: 20 allocations of 1MB on the runtime thread leave under 100KB held there, read in that thread after its GC (toUseMemoryUnder with a probe).',
  },
  'startup: cached access': { tier: 'should', target: '1ns', description: 'Subsequent access: < 1ns (cached).' },
  'error path overhead': { tier: 'should', target: '5ns', description: 'Error overhead: < 5ns over the success path.' },

  // ── SHOULD HAVE / NICE TO HAVE: tooling the plan asks for, not measurable by a test ────────
  'HTML reports': { tier: 'should', description: 'Not a measurement: the reporter writes report.json and the terminal matrix; there is no HTML report.' },
  'flamegraph profiling': { tier: 'should', description: 'Not a measurement: profile with `node --cpu-prof` (or 0x) outside the test run.' },
  'CI integration': { tier: 'should', description: 'Not a measurement: CI runs `npm run example`; its exit code is the decision.' },
  'regression detection': { tier: 'nice', description: 'Not measured: needs a stored baseline run to compare against (10% warn, 50% fail in the plan).' },
  'trend analysis': { tier: 'nice', description: 'Not measured: needs report.json files of earlier runs.' },
  'comparison with v1.2.0': { tier: 'nice', description: 'Not measured: there is no v1.2.0 of this runtime to compare with.' },
} as const;

/** The plan's declarations, shared with examples/jest.sandbox.config.ts. */
export { slos };

const config: Config = {
  rootDir: __dirname,
  roots: ['<rootDir>/global-runtime'],
  testMatch: ['**/*.test.ts'],
  // Bare Node, no VM sandbox: the figures are the ones production code would see.
  runner: 'jest-light-runner',
  // The light runner runs no Jest transform: tsx, registered by this file, loads the .ts files.
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/tsx-register.mjs'],
  setupFilesAfterEnv: ['rt-slo-reporter/setup'],
  testSequencer: '<rootDir>/plan-order.sequencer.js',
  // report.json goes to examples/slo-report (tests/integration/example.test.ts points it elsewhere).
  reporters: ['default', ['rt-slo-reporter', { slos, outputDir: process.env.RT_SLO_EXAMPLE_REPORT_DIR ?? 'slo-report' }]],
  // Performance files measured in parallel disturb each other (2 cores): one at a time. With one
  // worker Jest runs in band, and the light runner runs the files in Jest's own thread.
  maxWorkers: 1,
  // Generous: under a loaded machine (or beside the rest of `npm test`) a 16-thread level is slow.
  // (The light runner does not enforce it; the matchers' own `timeout` bounds every measurement.)
  testTimeout: 120_000,
};

export default config;
