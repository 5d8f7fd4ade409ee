/**
 * Where memory is measured, by job: gc.ts (forced GCs, snapshots, a run's peak, the quiet
 * baseline), stats.ts (statistics over runs and rounds), usage.ts (toUseMemoryUnder) and
 * growth.ts (toLeakMemory).
 */
export {
  forcedGc,
  held,
  nativeContexts,
  quietBaseline,
  settle,
  withoutBytecodeFlushing,
  FULL_GCS_PER_SNAPSHOT,
  MAX_GC_PASSES,
  MAX_QUIET_SNAPSHOTS,
  PEAK_SEES_GCS,
  QUIET_BYTES,
  QUIET_NOTE,
  SETTLED_BYTES,
  type Baseline,
  type GcFunction,
  type Held,
  type MemoryMeasured,
  type ProfiledRun,
  type Settled,
} from './gc';
export { leastSquares, lowerEnvelope, medianInterval, medianStep, trimmedMeanInterval, TRIM, type LineFit } from './stats';
export { measureUsage, type UsageOptions, type UsageResult, type UsageRun } from './usage';
export { measureGrowth, MAX_AUTO_CALLS, MIN_AUTO_CALLS, ROUND_TARGET_MS, type GrowthOptions, type GrowthResult } from './growth';
