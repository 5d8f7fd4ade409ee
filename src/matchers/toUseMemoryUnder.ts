import type { MatcherContext } from 'expect';
import { CONFIDENCE } from '../constants';
import { measureUsage, medianInterval, PEAK_SEES_GCS, QUIET_NOTE, type MemoryMeasured, type UsageResult } from '../measure/memory';
import { sortSamples, summarize } from '../measure/stats';
import { measureUsageWithProbe } from '../measure/probe';
import { checks, checkWith, SloArgumentError } from '../units/args';
import { formatBytes, parseBytes, type ByteSize } from '../units/bytes';
import { show } from '../units/format';
import { conclude, recordError } from './conclude';
import { claim, ROW_OPTION_CHECKS, type RowOptions } from './row';

/** Which memory figure is asserted. */
export type MemoryMeasure = 'retained' | 'peak';
export const MEMORY_MEASURES: readonly MemoryMeasure[] = ['retained', 'peak'];

export interface UseMemoryUnderOptions extends RowOptions {
  /**
   * `'retained'` (default): what a run leaves held after a forced GC. `'peak'`: the highest
   * memory held during a run. Both are heap + external (ArrayBuffers included), above a
   * forced-GC baseline taken just before.
   */
  measure?: MemoryMeasure;
  /** Calls of the function per run (default 1). */
  calls?: number;
  /** Runs, each between forced GCs (default 6, the fewest whose [min, max] is a 95% interval for the median). */
  runs?: number;
  /** Hard NO-GO limit, at least the limit (default: the limit). Over the limit but within it: WARN. */
  noGo?: ByteSize;
  /**
   * Reads the memory the claim is about, in bytes, where this isolate cannot see it (another
   * worker thread's heap after its own GC, a child process): replaces the heap + external
   * reading. Retained only: no peak can be observed through a probe.
   */
  probe?: () => number | Promise<number>;
}

const MATCHER = 'toUseMemoryUnder';

/** With n runs, [min, max] covers the median with 1 − 2^(1−n): 6 runs is the fewest reaching 95%. */
export const DEFAULT_RUNS = 6;
/** Growth per run is mentioned once it exceeds this fraction of the limit (smaller steps are noise at that scale). */
const STEADY_NOTE_FRACTION = 0.01;
/** The claim is about what one use of the function leaves; `calls` repeats it inside a run. */
export const DEFAULT_CALLS = 1;

const SPEC = {
  ...ROW_OPTION_CHECKS,
  measure: checks.oneOf(MEMORY_MEASURES),
  calls: checks.positiveInt,
  runs: checks.positiveInt,
  noGo: checkWith(parseBytes),
  probe: (v: unknown) => (typeof v === 'function' ? undefined : `must be a function returning bytes held; received ${show(v)}`),
};

/**
 * Passes when running the received function leaves less than `limit` held on the heap (heap +
 * external, after a forced GC, relative to a forced-GC baseline just before), or with
 * `measure: 'peak'`, when the highest memory held during a run stays under `limit`. The value
 * is the median over `runs` runs with an order-statistic interval. Sync or async.
 *
 * @example
 * await expect(() => buildIndex(docs)).toUseMemoryUnder('10MB');
 * await expect(parseReport).toUseMemoryUnder('64MiB', { measure: 'peak', noGo: '128MiB' });
 */
export async function toUseMemoryUnder(this: MatcherContext, received: unknown, limit: unknown, options?: unknown) {
  const { opts, row } = claim<UseMemoryUnderOptions>(this.isNot === true, {
    matcher: MATCHER,
    callee: toUseMemoryUnder,
    functions: { 'received value': received },
    options,
    spec: SPEC,
    target: { arg: limit, name: 'limit', parse: parseBytes },
    targetName: 'the limit',
    unit: 'bytes',
    direction: 'lower',
    stat: (o) => (o.measure as MemoryMeasure | undefined) ?? 'retained',
    notClaim: '"uses at least limit"',
  });
  const measure = row.stat as MemoryMeasure;
  const target = row.target;
  const runs = opts.runs ?? DEFAULT_RUNS;
  const calls = opts.calls ?? DEFAULT_CALLS;
  if (opts.probe && measure === 'peak') {
    throw new SloArgumentError(MATCHER, "option probe reads held memory only: it cannot observe a peak (use measure: 'retained')", toUseMemoryUnder);
  }
  let result: UsageResult;
  try {
    result = opts.probe
      ? await measureUsageWithProbe(received as MemoryMeasured, opts.probe, { runs, calls })
      : await measureUsage(received as MemoryMeasured, { runs, calls });
  } catch (error) {
    recordError(row, error);
  }
  const retained = result.runs.map((r) => r.retained);
  const peaks = result.runs.map((r) => r.peakOfRun);
  const values = measure === 'peak' ? peaks : retained;
  const { interval, coverage } = medianInterval(values, CONFIDENCE);
  const other = medianInterval(measure === 'peak' ? retained : peaks, CONFIDENCE).interval;
  const notes: string[] = [];
  if (runs === 1) notes.push('one run: no interval; the verdict rests on a single measurement (use runs ≥ 6 for a 95% interval)');
  else if (coverage < CONFIDENCE) {
    notes.push(`only ${runs} runs: the interval is [min, max], which covers the median with ${(coverage * 100).toFixed(1)}% confidence, not 95% (use runs ≥ ${DEFAULT_RUNS})`);
  }
  if (!result.baselineQuiet) notes.push(QUIET_NOTE(result.baselineSnapshots));
  if (measure === 'peak' && !PEAK_SEES_GCS) notes.push('this Node has no v8.GCProfiler: the peak is sampled at the end of each run only, and may miss memory a GC freed during the run');
  // Worth a line when the per-run step stands clear of the spread of runs and of the limit's scale.
  const steady = result.growthPerRun > Math.max(interval.high - interval.low, STEADY_NOTE_FRACTION * target);
  const howPeak = PEAK_SEES_GCS ? 'highest heap + external during a run (read just before every GC V8 ran, and at the end)' : 'heap + external at the end of a run';
  const what = opts.probe
    ? `retained: the probe's reading after each run, above its reading before the first; median of ${runs} run${runs === 1 ? '' : 's'} × ${calls} call${calls === 1 ? '' : 's'}`
    : measure === 'peak'
      ? `peak: ${howPeak}, above a forced-GC baseline; median of ${runs} run${runs === 1 ? '' : 's'} × ${calls} call${calls === 1 ? '' : 's'}`
      : `retained: heap + external still held after a forced GC, above a forced-GC baseline just before; median of ${runs} run${runs === 1 ? '' : 's'} × ${calls} call${calls === 1 ? '' : 's'}`;
  const list = (xs: number[]): string => xs.map(formatBytes).join(' ');
  const extra = [
    `Measured: ${what}`,
    `Runs:     retained ${list(retained)}`,
    `          peak     ${list(peaks)}`,
    `Also:     ${measure === 'peak' ? 'retained' : 'peak'} ${formatBytes(other.estimate)} (median), not asserted`,
    ...(steady ? [`Growth:   +${formatBytes(result.growthPerRun)} held per run: every run keeps what it allocated (see toLeakMemory)`] : []),
  ];
  const outcome = conclude(this, {
    hintArgs: 'limit',
    ...row,
    interval,
    samples: runs,
    batch: calls,
    summary: summarize(sortSamples(values)),
    notes,
    extra,
    details: {
      measure,
      runs,
      calls,
      retained,
      peak: peaks,
      held: result.runs.map((r) => r.held),
      peakAboveBaseline: result.runs.map((r) => r.peak),
      gcsDuringRun: result.runs.map((r) => r.gcsDuringRun),
      growthPerRun: result.growthPerRun,
      otherMeasure: { stat: measure === 'peak' ? 'retained' : 'peak', ...other },
      coverage,
      baseline: result.baseline,
      baselineSnapshots: result.baselineSnapshots,
      baselineQuiet: result.baselineQuiet,
      heapDelta: result.heapDelta,
      externalDelta: result.externalDelta,
      arrayBuffersDelta: result.arrayBuffersDelta,
      peakSource: opts.probe ? 'probe' : PEAK_SEES_GCS ? 'gc-profiler+end' : 'end',
      async: result.isAsync,
      wallMs: result.wallMs,
      gcMs: result.gcMs,
    },
  });
  return { pass: outcome.pass, message: outcome.message };
}
