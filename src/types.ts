/**
 * Shared vocabulary of rt-slo-reporter. Everything here that crosses a process boundary
 * (records written by matchers in Jest workers, read by the reporter in the main process)
 * is plain JSON: no NaN, Infinity, BigInt or functions.
 */

/** How much an SLO matters to the run's decision. */
export type Tier = 'must' | 'should' | 'nice';
export const TIERS: readonly Tier[] = ['must', 'should', 'nice'];

/**
 * A matcher's verdict for one measurement.
 * - PASS: the target is met.
 * - WARN: the target is missed, but the hard NO-GO limit is not crossed.
 * - FAIL: the NO-GO limit is crossed (a `must` row fails its test).
 * - ERROR: nothing could be measured (the function under test threw, a thread died).
 */
export type Verdict = 'PASS' | 'WARN' | 'FAIL' | 'ERROR';

/** Which way is better: `lower` for times and bytes, `higher` for speedups and throughput. */
export type Direction = 'lower' | 'higher';

/** The unit every number of a record is expressed in. */
export type Unit = 'ns' | 'bytes' | 'bytes/call' | 'x' | 'ratio' | 'percent';

/** A two-sided 95% confidence interval around a point estimate. */
export interface Interval {
  low: number;
  estimate: number;
  high: number;
}

/** Descriptive statistics of one measurement's per-call samples, in the record's unit. */
export interface Summary {
  min: number;
  max: number;
  mean: number;
  sd: number;
  p50: number;
  p75: number;
  p99: number;
  /** Present only when there were enough samples (≥ 1000) for it to mean anything. */
  p999?: number;
}

/** The machine a measurement ran on: enough to tell whether two runs are comparable. */
export interface Fingerprint {
  cpu: string;
  cores: number;
  availableParallelism: number;
  totalMemory: number;
  node: string;
  v8: string;
  platform: string;
  arch: string;
  /** 1, 5 and 15 minute load averages when the measurement ran. */
  loadavg: [number, number, number];
}

export type { Fidelity, FidelityContext } from './measure/fidelity';
import type { Fidelity } from './measure/fidelity';

/** The version of the record and report.json schemas. Bump on any incompatible change. */
export const RECORD_SCHEMA_VERSION = 1;

/** One measurement, as one JSON line in the run folder. */
export interface SloRecord {
  schema: typeof RECORD_SCHEMA_VERSION;
  /** Unique within a run: `<pid>-<module instance>-<seq>`. */
  id: string;
  /** Absolute path of the test file (`expect.getState().testPath`). */
  testPath: string;
  /** Full test name, as Jest reports it (`describe` titles + test title, space-joined). */
  testName: string;
  /** The SLO row this measurement belongs to. */
  slo: string;
  tier: Tier;
  /** `toRunUnder`, `toScaleLinearly`, … */
  matcher: string;
  /** True for `.not.` assertions. */
  negated: boolean;
  unit: Unit;
  direction: Direction;
  /** The target, in `unit`: PASS at or better than this. */
  target: number;
  /** The hard limit, in `unit`: FAIL beyond this. Equal to `target` when no limit was given. */
  noGo: number;
  /** The user's own spelling of the target and limit (`'10us'`, `'1%'`, `'10MB'`). */
  targetText: string;
  noGoText: string;
  /** The statistic asserted: `p50`, `mean`, `speedup`, `retained`, … */
  stat: string;
  /** The asserted statistic with its 95% interval, in `unit`. */
  estimate: number;
  low: number;
  high: number;
  /** Samples taken, and calls per sample (batch size). */
  samples: number;
  batch: number;
  /** Relative margin of error: (high − low) / 2 / estimate; 0 when the estimate is 0. */
  noise: number;
  verdict: Verdict;
  /** True when the time budget ran out with the interval still straddling a line. */
  inconclusive: boolean;
  /** Whether the assertion (with `.not` applied) passed, i.e. whether the test went on. */
  passed: boolean;
  /** Per-call statistics of the main measured function, when the matcher has them. */
  summary?: Summary;
  /** Human-readable notes: inconclusive, capacity-bound, correctness failures. */
  notes: string[];
  /** Error message when verdict is ERROR. */
  error?: string;
  /** Matcher-specific data (a scaling table, the baseline's summary, …). Plain JSON. */
  details?: Record<string, unknown>;
  /**
   * Where the measurement ran, e.g. `{ context: 'jest-sandbox', penalty: 9.3 }`: inside Jest's VM
   * sandbox (global lookups `penalty`× slower than in plain Node), `main-context` (outsideSandbox),
   * `bare-node`, `thread` or `process`. Absent in records written before 0.2.
   */
  fidelity?: Fidelity;
  /** Wall-clock span of the measurement (epoch ms), to detect overlapping measurements. */
  startedAt: number;
  endedAt: number;
  /** `JEST_WORKER_ID` and process id of the Jest worker that measured. */
  worker: string;
  pid: number;
  env: Fingerprint;
}
