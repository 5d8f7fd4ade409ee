/**
 * The measurement engine: warm up → calibrate the batch size → subtract the empty loop →
 * sample in rounds until a caller-supplied rule says the question is decided or time runs out.
 *
 * Everything is in nanoseconds per call. Timing itself is tinybench's (see sampler.ts).
 */
import { CONFIDENCE, DEFAULT_MAX_TIME_MS, DEFAULT_MIN_SAMPLES, DEFAULT_WARMUP_MS, MAX_SAMPLES, MIN_SAMPLES_FLOOR, MIN_SAMPLES_TIME_MS, ROUND_MS } from '../constants';
import type { Interval, Summary } from '../types';
import { now, resolved } from './clock';
import { calibrate, emptyLoopCost, type Bound } from './calibrate';
import { contextOf, describeFidelity, isMainContext, noteMeasured, probePenalty, type Fidelity, type ProbeResult, type ProbeRunner } from './fidelity';
import { createSampler, type Sampler } from './sampler';
import { Reservoir, sortSamples, statInterval, summarize, type Sorted, type Stat } from './stats';
import { withTimeout } from './timeout';

/** Any function a user may hand us; a returned promise is awaited as part of the call. */
export type Measured = () => unknown;

export interface SubjectOptions {
  /** Warm-up budget in ms (time-bounded, never call-bounded). */
  warmupMs?: number;
  /** Fewest samples before a decision may be drawn. */
  minSamples?: number;
  /** Force calls per sample (skips calibration); mostly for tests and benchmarks. */
  batch?: number;
}

/** Stopping rule: given the measured subjects, has the question been answered? */
export type StopRule = (subjects: readonly Subject[]) => boolean;

/** Why sampling ended. */
export type StopReason = 'decided' | 'time' | 'samples';

/** One function under measurement: its calibration, its samples and its statistics. */
export class Subject {
  /** Fewest samples before a decision; adapted to the call's cost after prepare() unless given. */
  minSamples: number;
  isAsync = false;
  /** Calls per sample. */
  batch = 1;
  /** Cost of one empty-loop iteration, subtracted from every per-call sample (ns). */
  baselineNs = 0;
  /** Calls made during warm-up, and their time. */
  warmupCalls = 0;
  warmupMs = 0;
  private readonly reservoir = new Reservoir(MAX_SAMPLES);
  private sampler?: Sampler;
  private sortedCache?: Sorted;
  private readonly explicitMin: boolean;
  private timeoutMs?: number;

  constructor(readonly fn: Measured, private readonly opts: SubjectOptions = {}) {
    this.minSamples = Math.max(2, opts.minSamples ?? DEFAULT_MIN_SAMPLES);
    this.explicitMin = opts.minSamples !== undefined;
  }

  /** Samples taken so far (may exceed the number kept). */
  get samples(): number {
    return this.reservoir.seen;
  }

  /**
   * The shared calibration (calibrate.ts): first call, time-bounded warm-up through the compiled
   * loop with a doubling batch, the batch size for sampling; then one discarded round and the
   * empty loop's cost, both timed by the sampler that times the samples.
   * `timeoutMs` bounds the first call, each warm-up batch and the discarded round.
   */
  async prepare(timeoutMs?: number): Promise<void> {
    this.timeoutMs = timeoutMs;
    const bound: Bound = (work, phase, detail) => withTimeout(work, timeoutMs, phase, detail);
    const cal = await calibrate(this.fn, { warmupMs: this.opts.warmupMs ?? DEFAULT_WARMUP_MS, batch: this.opts.batch, bound });
    this.isAsync = cal.isAsync;
    this.batch = cal.batch;
    this.warmupCalls = cal.calls;
    this.warmupMs = cal.warmupMs;
    if (!this.explicitMin) {
      // Slow calls: 30 samples of a 50 ms call would take 1.5 s; order statistics need far fewer.
      const affordable = Math.ceil(MIN_SAMPLES_TIME_MS / ((cal.perCallNs * this.batch) / 1e6));
      this.minSamples = Math.max(MIN_SAMPLES_FLOOR, Math.min(this.minSamples, affordable));
    }
    this.sampler = createSampler(cal.loop, this.isAsync);
    // The freshly compiled loop is cold: one discarded round lets it reach optimized code.
    const discarded = await this.timedRound(ROUND_MS);
    if (this.batch > 1) {
      // The warm task loop's fastest run bounds the empty loop's cost (see emptyLoopCost), even if calibration ran cold.
      const taskPerCallNs = discarded.reduce((best, d) => Math.min(best, (d * 1e6) / this.batch), cal.perCallNs);
      this.baselineNs = await emptyLoopCost(this.batch, async (loop) => {
        const sampler = createSampler(loop, false);
        await sampler.round(ROUND_MS); // warm the loop itself
        return (await sampler.round(ROUND_MS)).map((d) => d * 1e6);
      }, taskPerCallNs, isMainContext(this.fn));
    }
  }

  /** One sampler round, bounded by the round's length plus the timeout (sync rounds cannot hang here). */
  private timedRound(ms: number): Promise<number[]> {
    const sampler = this.sampler as Sampler;
    if (!this.isAsync || this.timeoutMs === undefined) return sampler.round(ms);
    const k = this.batch;
    return withTimeout(sampler.round(ms), ms + this.timeoutMs, 'sampling', () => `a sampling round of ${ms} ms (batches of ${k} call${k === 1 ? '' : 's'}) never ended`);
  }

  /** One sampling round of about `ms` milliseconds. */
  async round(ms: number): Promise<void> {
    if (!this.sampler) throw new Error('rt-slo-reporter: Subject.round() before prepare()');
    const raw = await this.timedRound(ms);
    const k = this.batch;
    for (const d of raw) this.reservoir.push(Math.max(0, (d * 1e6) / k - this.baselineNs));
    this.sortedCache = undefined;
  }

  /** The kept samples, sorted (cached until the next round). */
  sorted(): Sorted {
    return (this.sortedCache ??= sortSamples(this.reservoir.values));
  }

  interval(stat: Stat, confidence = CONFIDENCE): Interval {
    return statInterval(this.sorted(), stat, confidence);
  }

  summary(): Summary {
    return summarize(this.sorted());
  }

  /** Enough samples for a decision to be drawn. */
  get ready(): boolean {
    return this.samples >= this.minSamples;
  }
}

export interface RunOptions {
  /** Time budget for sampling, in ms, counted from the first sampled round (warm-up not included). */
  maxTimeMs?: number;
  /**
   * Longest the first call, one warm-up batch or one sampling round (beyond its planned length)
   * may stay unsettled, in ms; past it the run rejects with CallTimeoutError. Only an async
   * function can be caught this way: a synchronous call that never returns blocks the thread.
   * Default: no bound.
   */
  timeoutMs?: number;
}

export interface RunResult {
  stoppedBy: StopReason;
  /** Wall time of the whole measurement, warm-up included (ms). */
  wallMs: number;
  rounds: number;
}

/**
 * Prepares every subject, then samples them in interleaved rounds (A B, B A, …) so that drift in
 * the machine's speed hits all of them alike. After each full cycle, once every subject has its
 * minimum samples, `stop` is asked whether the question is answered. Rounds grow with elapsed
 * time (a quarter of it, at least ROUND_MS) so that long runs look at the interval only a
 * logarithmic number of times: fewer looks, less inflation of the error rate, less sorting.
 */
export async function runInterleaved(subjects: readonly Subject[], stop: StopRule, opts: RunOptions = {}): Promise<RunResult> {
  // Every measurement passes here: the sandbox probe runs before a test file's first one (and
  // never in a file that measures nothing), and the record this run feeds learns where it ran.
  await probePenalty(probeRunner);
  noteMeasured(contextOf(subjects.map((s) => s.fn)));
  return interleave(subjects, stop, opts);
}

/**
 * The sandbox probe: two sync functions of ~50–500 ns. Each gets the engine's calibration (a
 * trained loop of ~20 µs batches); then their batches are timed alternately, in blocks, until
 * the budget ends, and each side's figure is its fastest block median. Optimised code only ever
 * makes a block faster, so the figure is the hottest state reached: in a Jest worker busy
 * compiling its own code V8 took up to ~100 ms to optimise the probe on a loaded 2-core machine,
 * and until then both sides run unoptimised (≈ 2× apart instead of ≈ 7×), so the penalty is a
 * lower bound. Not the full sampling engine: its fixed 2 ms rounds and the empty loop's rounds
 * (tens of thousands of tiny samples for tinybench's statistics) cost 40–140 ms. The empty loop
 * (≈ 1 ns a call) is not subtracted: under 3% of the main-context side, it only makes the
 * penalty read low.
 */
const PROBE_WARMUP_MS = 5;
const PROBE_BUDGET_MS = 30;
const PROBE_BLOCK = 10;

const probeRunner: ProbeRunner = async (fns) => {
  const start = now();
  const cals = [];
  for (const fn of fns) cals.push(await calibrate(fn, { warmupMs: PROBE_WARMUP_MS }));
  const best = cals.map(() => Infinity);
  const block = cals.map(() => new Float64Array(PROBE_BLOCK));
  do {
    for (let i = 0; i < PROBE_BLOCK; i++) {
      for (let j = 0; j < cals.length; j++) {
        // Alternate which side goes first, as runInterleaved does.
        const at = i % 2 === 0 ? j : cals.length - 1 - j;
        const t0 = now();
        cals[at].loop();
        block[at][i] = ((now() - t0) * 1e6) / cals[at].batch;
      }
    }
    block.forEach((xs, at) => (best[at] = Math.min(best[at], xs.sort()[PROBE_BLOCK >> 1])));
  } while (now() - start < PROBE_BUDGET_MS);
  return best;
};

/**
 * Where code measured in this test file runs (`jest-sandbox` or `bare-node`) and, inside Jest's
 * sandbox, the global-access penalty (the probe runs now if no measurement ran it yet).
 */
export function fidelity(): Promise<Fidelity & { probe?: ProbeResult }> {
  return describeFidelity(probeRunner);
}

/** The interleaved rounds themselves (runInterleaved without the fidelity bookkeeping). */
async function interleave(subjects: readonly Subject[], stop: StopRule, opts: RunOptions): Promise<RunResult> {
  const maxTime = opts.maxTimeMs ?? DEFAULT_MAX_TIME_MS;
  const wallStart = now();
  for (const s of subjects) await s.prepare(opts.timeoutMs);
  const start = now();
  let rounds = 0;
  let roundMs = ROUND_MS;
  for (;;) {
    // Alternate the order each cycle (A B, B A, …): whichever side goes first has a small edge.
    const order = rounds % 2 === 0 ? subjects : [...subjects].reverse();
    for (const s of order) await s.round(roundMs);
    rounds++;
    // A native promise turn lets pending callbacks run without any (possibly faked) timer.
    await resolved;
    const elapsed = now() - start;
    if (subjects.every((s) => s.ready) && stop(subjects)) return done('decided');
    if (elapsed >= maxTime) return done('time');
    if (subjects.every((s) => s.samples >= MAX_SAMPLES * 8)) return done('samples');
    while (roundMs * 2 <= Math.max(ROUND_MS, elapsed / 4) && roundMs * 2 <= maxTime - elapsed) roundMs *= 2;
  }
  function done(stoppedBy: StopReason): RunResult {
    return { stoppedBy, wallMs: now() - wallStart, rounds };
  }
}

/** Measures one function until `stop` is satisfied or the budget ends. */
export async function measure(fn: Measured, stop: (s: Subject) => boolean, opts: SubjectOptions & RunOptions = {}): Promise<{ subject: Subject; run: RunResult }> {
  const subject = new Subject(fn, opts);
  const run = await runInterleaved([subject], ([s]) => stop(s), opts);
  return { subject, run };
}
