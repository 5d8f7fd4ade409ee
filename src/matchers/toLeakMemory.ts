import type { MatcherContext } from 'expect';
import { MAX_AUTO_CALLS, measureGrowth, QUIET_NOTE, TRIM, type GrowthResult, type MemoryMeasured } from '../measure/memory';
import { checks, checkWith } from '../units/args';
import { formatBytes, parseBytes, type ByteSize } from '../units/bytes';
import { conclude, recordError } from './conclude';
import { claim, ROW_OPTION_CHECKS, type RowOptions } from './row';

export interface LeakMemoryOptions extends RowOptions {
  /**
   * Growth per call that counts as a leak, in bytes per call (default: the SLO's declared target,
   * else 16 B). `.not.toLeakMemory()` passes when the growth's 95% interval stays at or under it;
   * a NO-GO limit declared for the SLO turns growth between the two into WARN.
   */
  threshold?: ByteSize;
  /** Rounds of calls, each followed by a forced GC and a snapshot (default 12, 3 to 100). */
  rounds?: number;
  /** Calls per round (default: as many as fit in ~50 ms of the function's time, 1 to 2,000). */
  calls?: number;
  /** Calls before the baseline, to fill caches and warm the JIT (default: one round's worth; 0 for none). */
  warmupCalls?: number;
}

const MATCHER = 'toLeakMemory';

/**
 * Default leak threshold, bytes per call: under one retained object per call (a one-field object
 * and its slot in an array measure ~40 B on 64-bit Node), above the snapshot noise spread over a
 * run's calls (measured ≤ 2 B/call at 1,000 calls per round).
 */
export const DEFAULT_LEAK_THRESHOLD = 16;
/**
 * The threshold never sits below this fraction of what one call allocates: allocation-heavy calls
 * are slow, so a round holds few of them and the ~10 KB wobble of a GC snapshot is shared by few
 * calls (the 1 MB/call fixture gets ~100 calls per round: ~100 B/call of wobble).
 */
export const RELATIVE_LEAK_FLOOR = 1e-4;
/**
 * Twelve rounds give eleven readings; the 20% trimmed mean drops two on each side (a release of
 * foreign memory can span two rounds: −1.9 MB then −0.9 MB, measured) and keeps seven (t, 6 df).
 */
export const DEFAULT_ROUNDS = 12;
/** Three rounds give two readings, the fewest with a variance (and a very wide interval). */
export const MIN_ROUNDS = 3;
/** Each round costs a full GC (70–300 ms in a ts-jest worker): more than this is never worth it. */
export const MAX_ROUNDS = 100;

const SPEC = {
  ...ROW_OPTION_CHECKS,
  threshold: checkWith(parseBytes),
  rounds: checks.intIn(MIN_ROUNDS, MAX_ROUNDS),
  calls: checks.positiveInt,
  warmupCalls: checks.nonNegativeInt,
};

/**
 * Measures the growth of retained memory per call: `rounds` rounds of `calls` calls with a forced
 * GC and a snapshot of heap + external after each; each round's growth per call is one reading,
 * and the verdict uses their 20% trimmed mean with Yuen's 95% interval. `toLeakMemory()` passes
 * when the growth is above the threshold; use it as `.not.toLeakMemory()` to assert no leak.
 *
 * @example
 * await expect(() => execute(async () => 42)).not.toLeakMemory();
 * await expect(handleRequest).not.toLeakMemory({ threshold: '64B', rounds: 12 });
 */
export async function toLeakMemory(this: MatcherContext, received: unknown, options?: unknown) {
  const { opts, row } = claim<LeakMemoryOptions>(this.isNot === true, {
    matcher: MATCHER,
    callee: toLeakMemory,
    functions: { 'received value': received },
    options,
    spec: SPEC,
    target: { option: 'threshold', fallback: { value: DEFAULT_LEAK_THRESHOLD, text: perCallText(DEFAULT_LEAK_THRESHOLD) }, parse: parsePerCall },
    text: perCallText,
    targetName: 'the threshold',
    unit: 'bytes/call',
    // As written, the claim is "it leaks": growth at or above the threshold. `.not` flips it, and
    // a declared NO-GO limit belongs to that "no leak" claim.
    direction: 'higher',
    noGoOnNot: true,
    stat: 'growth',
    notClaim: '"does not leak"',
  });
  const threshold = row.target;
  const targetText = row.targetText;
  const rounds = opts.rounds ?? DEFAULT_ROUNDS;
  let result: GrowthResult;
  try {
    result = await measureGrowth(received as MemoryMeasured, { rounds, calls: opts.calls, warmupCalls: opts.warmupCalls });
  } catch (error) {
    recordError(row, error);
  }
  const floor = RELATIVE_LEAK_FLOOR * result.allocatedPerCall;
  const line = Math.max(threshold, floor);
  const notes: string[] = [];
  if (line > threshold) {
    notes.push(
      `threshold raised from ${formatBytes(threshold)}/call to ${formatBytes(line)}/call: ${RELATIVE_LEAK_FLOOR * 100}% of the ${formatBytes(result.allocatedPerCall)} one call allocates (relative floor against GC noise)`,
    );
  }
  if (!result.baselineQuiet) notes.push(QUIET_NOTE(result.baselineSnapshots));
  const growth = result.growth;
  const ls = result.leastSquares.slope;
  // Least squares uses every snapshot untrimmed: when it lands clearly across the line, say so.
  const lsSaysLeak = ls.low > line;
  const lsSaysNone = ls.high <= line;
  if ((growth.estimate <= line && lsSaysLeak) || (growth.estimate > line && lsSaysNone)) {
    notes.push(
      `least squares over all snapshots gives ${signed(ls.estimate)}/call [${signed(ls.low)} ${signed(ls.high)}], on the other side of ${formatBytes(line)}/call: memory held in steps every few rounds (a table resizing, a cache filling), or released or taken once by something else; more calls per round or more rounds tell them apart`,
    );
  }
  if (growth.low <= line && growth.high > line && result.calls < MAX_AUTO_CALLS) {
    notes.push(`${result.calls.toLocaleString('en-US')} call${result.calls === 1 ? '' : 's'} per round (one call takes ${formatMs(result.perCallMs)}): more calls per round narrow the interval`);
  }
  const totalCalls = result.rounds * result.calls;
  const extra = [
    `Growth:   ${signed(growth.estimate)}/call: ${TRIM * 100}% trimmed mean of ${result.rounds - 1} readings of growth per call over ${result.rounds} rounds (least squares over all snapshots: ${signed(ls.estimate)}/call)`,
    `Held:     ${signed(result.totalGrowth)} after ${totalCalls.toLocaleString('en-US')} calls (${result.rounds} rounds × ${result.calls.toLocaleString('en-US')} calls, forced GC after each; ${result.warmupCalls.toLocaleString('en-US')} warm-up calls before the baseline)`,
    `Per call: ${formatBytes(result.allocatedPerCall)} allocated (freed or not; single calls with no GC between two reads)`,
  ];
  const lineText = line > threshold ? `${formatBytes(line)}/call` : targetText;
  const outcome = conclude(this, {
    hintArgs: '',
    ...row,
    target: line,
    noGo: line,
    targetText: lineText,
    noGoText: lineText,
    // The raised floor raises the NO-GO limit with it: it never sits on the target's better side.
    ...(row.negatedNoGo === undefined ? {} : { negatedNoGo: Math.max(row.negatedNoGo, line) }),
    interval: growth,
    samples: result.rounds,
    batch: result.calls,
    notes,
    extra,
    details: {
      threshold,
      effectiveThreshold: line,
      relativeFloor: floor,
      thresholdText: targetText,
      readings: result.readings,
      calls: result.calls,
      rounds: result.rounds,
      warmupCalls: result.warmupCalls,
      cumulativeCalls: result.xs,
      heldAboveBaseline: result.ys,
      lowerEnvelope: result.levels,
      totalGrowth: result.totalGrowth,
      leastSquares: result.leastSquares.slope,
      allocatedPerCall: result.allocatedPerCall,
      perCallMs: result.perCallMs,
      baselineSnapshots: result.baselineSnapshots,
      baselineQuiet: result.baselineQuiet,
      method: '20% trimmed mean of per-round growth (Yuen interval), lower envelope of snapshots',
      async: result.isAsync,
      wallMs: result.wallMs,
      gcMs: result.gcMs,
    },
  });
  return { pass: outcome.pass, message: outcome.message };
}

/** Bytes per call, as written in an option or a declaration (`'64B'`, `'64B/call'`, 64). */
function parsePerCall(value: unknown, what: string): number {
  return parseBytes(typeof value === 'string' ? value.replace(/\s*\/\s*call$/, '') : value, what);
}

/** The user's spelling of bytes per call: `'64B/call'`. */
function perCallText(value: unknown): string {
  const text = typeof value === 'number' ? `${value}B` : String(value);
  return /\/\s*call$/.test(text) ? text : `${text}/call`;
}

function formatMs(ms: number): string {
  return ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

function signed(bytes: number): string {
  return bytes >= 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

