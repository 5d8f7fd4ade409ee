/**
 * The scaling measurement, shared by the thread and event-loop forms: windows at every level,
 * in rounds that visit all levels (alternately forward and backward, so drift and order effects
 * hit every level alike), with each level's efficiency paired with the reference (level 1)
 * measured in the same round.
 */
import { MAX_SAMPLES } from '../constants';
import { now, resolved } from '../measure/clock';
import { meanInterval, quantileInterval, Reservoir, sortSamples } from '../measure/stats';
import type { Interval } from '../types';
import type { VerifyResult, WindowResult } from './pool';
import { IsolateFailure } from './spawn';

/** What a form must provide: one timed window at a level, and a check of shared state. */
export interface LevelRunner {
  window(level: number, windowMs: number): Promise<Omit<WindowResult, 'samples'> & { samples: ArrayLike<number>[]; loopBusy?: number; cpuWait?: number }>;
  verify(level: number): Promise<VerifyResult>;
}

export interface LevelData {
  level: number;
  /** Aggregate throughput of each round's window, calls per second. */
  throughputs: number[];
  /** Cores the machine offered the threads in each round's window (undefined: not known). */
  offered: (number | undefined)[];
  /** Async form: share of each window the event loop was busy running JavaScript. */
  loopBusy: number[];
  /** Async form: share of each window the event loop's thread was runnable but waiting for a CPU. */
  loopCpuWait: number[];
  calls: number;
  latency: Reservoir;
}

export interface Correctness {
  /** Whether the task had a verify step at all. */
  checked: boolean;
  ok: boolean;
  message?: string;
  /** Where the first inconsistency was seen: after warm-up, or after a window at `level`. */
  after?: 'warm-up' | 'window';
  level?: number;
  round?: number;
}

export type ScalingStop = 'decided' | 'time' | 'correctness' | 'hang';

export interface ScalingRun {
  levels: LevelData[];
  rounds: number;
  stoppedBy: ScalingStop;
  /** Sampling wall time (ms), warm-up excluded. */
  wallMs: number;
  correctness: Correctness;
  /** Set when a window never finished: deadlock, or a call that never returns. */
  hang?: { level: number; message: string };
}

export interface ScalingOptions {
  /** Length of one timed window at one level (ms). */
  windowMs: number;
  /** Rounds (one window per level each) before `decided` is asked. */
  minRounds: number;
  /**
   * Sampling budget (ms), counted from the first sampled round (warm-up and the check after it
   * excluded), minRounds included: once it has run out at the end of a round the run stops
   * with 'time', even short of minRounds (the verdict is then inconclusive).
   */
  maxTimeMs: number;
  /** Asked after each round once minRounds are in: is the verdict settled? */
  decided: (levels: readonly LevelData[], rounds: number) => boolean;
  /** Warm-up ran all threads at once: check shared state before the first window. */
  verifyAfterWarmup: boolean;
}

/** Runs rounds over `levels` (ascending, starting at 1) until decided, inconsistent, hung or out of time. */
export async function runScaling(runner: LevelRunner, levels: readonly number[], opts: ScalingOptions): Promise<ScalingRun> {
  const data: LevelData[] = levels.map((level) => ({ level, throughputs: [], offered: [], loopBusy: [], loopCpuWait: [], calls: 0, latency: new Reservoir(MAX_SAMPLES) }));
  const correctness: Correctness = { checked: false, ok: true };
  const note = (v: VerifyResult, after: Correctness['after'], level?: number, round?: number): void => {
    correctness.checked ||= v.checked;
    if (!v.ok && correctness.ok) Object.assign(correctness, { ok: false, message: v.message, after, level, round });
  };
  if (opts.verifyAfterWarmup) note(await runner.verify(levels[levels.length - 1]), 'warm-up');
  const start = now();
  let rounds = 0;
  const finish = (stoppedBy: ScalingStop, hang?: ScalingRun['hang']): ScalingRun => ({ levels: data, rounds, stoppedBy, wallMs: now() - start, correctness, hang });
  for (;;) {
    const order = rounds % 2 === 0 ? data : [...data].reverse();
    for (const d of order) {
      let w;
      try {
        w = await runner.window(d.level, opts.windowMs);
      } catch (e) {
        if (e instanceof IsolateFailure && (e.phase === 'timeout' || e.phase === 'barrier')) return finish('hang', { level: d.level, message: e.message });
        throw e;
      }
      d.throughputs.push(w.calls / w.seconds);
      d.offered.push(w.offeredCores);
      if (w.loopBusy !== undefined) d.loopBusy.push(w.loopBusy);
      if (w.cpuWait !== undefined) d.loopCpuWait.push(w.cpuWait);
      d.calls += w.calls;
      for (const s of w.samples) for (let i = 0; i < s.length; i++) d.latency.push(s[i]);
      // Shared state is cumulative: after the first inconsistency every later check fails too.
      if (correctness.ok) note(await runner.verify(d.level), 'window', d.level, rounds + 1);
    }
    rounds++;
    // A native promise turn lets pending callbacks run without any (possibly faked) timer.
    await resolved;
    if (!correctness.ok && rounds >= opts.minRounds) return finish('correctness');
    if (rounds >= opts.minRounds && opts.decided(data, rounds)) return finish('decided');
    if (now() - start >= opts.maxTimeMs) return finish(correctness.ok ? 'time' : 'correctness');
  }
}

export interface LevelStats {
  level: number;
  /** min(level, capacity): the speedup over level 1 that linear scaling promises here. */
  factor: number;
  /** The speedup actually expected, averaged over rounds: `factor`, or the load-adjusted one. */
  expectedFactor: number;
  /** Mean cores the machine offered this level's threads (undefined: not known). */
  offeredCores?: number;
  /** Async form: mean share of the windows the event loop was busy (undefined: threads). */
  loopBusy?: number;
  /** Async form: mean share of the windows the loop's thread waited for a CPU (undefined: unknown). */
  loopCpuWait?: number;
  /** Beyond capacity: more threads than the machine (or the claim) can run at once. */
  capacityBound: boolean;
  throughput: Interval;
  /** throughput(n) / (expected factor · throughput(1)), paired per round; undefined for level 1. */
  efficiency?: Interval;
  /**
   * The machine offered this level's threads fewer cores than its claim needs (other load), so a
   * serialized task could look as good as a scaling one: the level can fail but cannot pass
   * conclusively (its judged interval starts at 0).
   */
  loadBound: boolean;
  /** The interval the verdict uses: `efficiency`, with its low end at 0 when load-bound. */
  judged?: Interval;
  p50: Interval;
  p99: Interval;
  calls: number;
  rounds: number;
}

/** A level offered less than this share of the cores its claim needs is load-bound. */
export const LOADED_FRACTION = 0.9;

/** Below this many cores offered to the reference thread, a round's load adjustment is too noisy to use. */
const MIN_REFERENCE_CORES = 0.2;

/**
 * The speedup over level 1 that a round promises. Nominal: min(n, capacity). Load-adjusted:
 * min(cores offered at n, capacity) / cores offered at level 1 — the same claim in work per
 * offered core, so neighbours' load cannot fail it while a lock (whose waiters sleep or spin,
 * never wait for a CPU) still does. Both agree on an idle machine.
 */
export function expectedFactor(level: number, capacity: number, offeredN: number | undefined, offered1: number | undefined, adjust: boolean): number {
  if (!adjust || offeredN === undefined || offered1 === undefined || offered1 < MIN_REFERENCE_CORES) return Math.min(level, capacity);
  return Math.min(offeredN, capacity) / Math.min(offered1, capacity);
}

/** Smallest ratio taken into logs: a window with no completed call. */
const MIN_RATIO = 1e-9;

/**
 * Interval for the typical ratio: a Student-t interval on log ratios, back-transformed (the
 * geometric mean). A plain mean of ratios is biased upward by a noisy denominator (Jensen).
 */
export function ratioInterval(ratios: readonly number[], confidence: number): Interval {
  const iv = meanInterval(ratios.map((r) => Math.log(Math.max(MIN_RATIO, r))), confidence);
  return { low: Math.exp(iv.low), estimate: Math.exp(iv.estimate), high: Math.exp(iv.high) };
}

function mean(xs: readonly number[]): number | undefined {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined;
}

/** Per-level statistics of a run, at a confidence level. */
export function levelStats(run: { levels: readonly LevelData[] }, capacity: number, confidence: number, adjustForLoad: boolean): LevelStats[] {
  const ref = run.levels[0];
  return run.levels.map((d) => {
    const factor = Math.min(d.level, capacity);
    const sorted = sortSamples(d.latency.values);
    const rounds = Math.min(d.throughputs.length, ref.throughputs.length);
    const ratios: number[] = [];
    const factors: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const f = expectedFactor(d.level, capacity, d.offered[r], ref.offered[r], adjustForLoad);
      factors.push(f);
      ratios.push(d.throughputs[r] / (f * ref.throughputs[r]));
    }
    const known = d.offered.filter((x): x is number => x !== undefined);
    const offeredCores = known.length && known.length === d.offered.length ? mean(known) : undefined;
    const loadBound = adjustForLoad && d.level > 1 && offeredCores !== undefined && offeredCores < LOADED_FRACTION * factor;
    const efficiency = d.level === 1 ? undefined : ratioInterval(ratios, confidence);
    return {
      level: d.level,
      factor,
      expectedFactor: mean(factors) ?? factor,
      offeredCores,
      loopBusy: mean(d.loopBusy),
      loopCpuWait: mean(d.loopCpuWait),
      loadBound,
      judged: efficiency && loadBound ? { ...efficiency, low: Math.min(0, efficiency.low) } : efficiency,
      capacityBound: d.level > capacity,
      throughput: meanInterval(d.throughputs, confidence),
      efficiency,
      p50: quantileInterval(sorted, 0.5, confidence),
      p99: quantileInterval(sorted, 0.99, confidence),
      calls: d.calls,
      rounds: d.throughputs.length,
    };
  });
}

/**
 * The interval of the worst level's efficiency: min over levels of each end. Every level passes
 * exactly when the lowest low clears the target; some level fails for sure exactly when the
 * lowest high is below the line — so one interval classifies the whole claim.
 */
export function worstEfficiency(stats: readonly LevelStats[], which: 'judged' | 'efficiency' = 'judged'): { interval: Interval; level: number } {
  const judged = stats.filter((s) => s[which]);
  let worst = judged[0];
  const interval = { low: Infinity, estimate: Infinity, high: Infinity };
  for (const s of judged) {
    const e = s[which] as Interval;
    interval.low = Math.min(interval.low, e.low);
    interval.high = Math.min(interval.high, e.high);
    if (e.estimate < interval.estimate) {
      interval.estimate = e.estimate;
      worst = s;
    }
  }
  return { interval, level: worst.level };
}
