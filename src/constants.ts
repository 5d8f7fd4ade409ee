/** Every default of rt-slo-reporter, each with the reason for its value. */

/** Environment variable through which the reporter hands its run folder to Jest workers. */
export const RUN_DIR_ENV = 'RT_SLO_RUN_DIR';

/** Record files in the run folder: one per worker process, JSON lines. */
export const RECORD_FILE_PREFIX = 'records-';
export const RECORD_FILE_SUFFIX = '.jsonl';

/** Default time budget of one measurement: long enough for noisy cases, short enough for CI. */
export const DEFAULT_MAX_TIME_MS = 2000;

/** Warm-up is bounded by time, not calls: 1,000 calls of a 200 µs function would cost 200 ms. */
export const DEFAULT_WARMUP_MS = 25;

/** Fewest samples before a verdict may be drawn: below this order-statistic intervals are wide. */
export const DEFAULT_MIN_SAMPLES = 30;

/**
 * Without an explicit minSamples, slow calls need fewer: the default minimum shrinks so that it
 * costs at most this much time, but never below MIN_SAMPLES_FLOOR (an order-statistic interval
 * for the median needs 8 samples at 99%; 10 leaves a margin).
 */
export const MIN_SAMPLES_TIME_MS = 150;
export const MIN_SAMPLES_FLOOR = 10;

/** Hard cap on samples kept per measurement, so memory stays bounded whatever the call count. */
export const MAX_SAMPLES = 8192;

/**
 * Each batched sample should last about this long: far above the clock's resolution and
 * tinybench's per-sample cost (~50 ns), so timer error is well under 1%.
 */
export const TARGET_SAMPLE_NS = 20_000;

/** Calls at least this long are timed one by one: batching them gains nothing. */
export const BATCH_THRESHOLD_NS = 10_000;

/** Upper bound on calls per sample: bounds a sample's length if calibration misjudges a call. */
export const MAX_BATCH = 1_000_000;

/** One sampling round; the interval is checked between rounds (2 ms decided clear cases fast). */
export const ROUND_MS = 2;

/** Confidence level of every interval. */
export const CONFIDENCE = 0.95;

/** Quantile statistics need this many samples before p999 is reported. */
export const P999_MIN_SAMPLES = 1000;

/**
 * Sampling stops early only when the 99% interval is clear of the line; the verdict then
 * reports the 95% interval. The stricter stopping level pays for looking at the data more
 * than once (each look at 95% would inflate the chance of a wrong early stop).
 */
export const STOP_CONFIDENCE = 0.99;

/**
 * Path of the thread worker script when none sits beside the bundle: this repository's own test
 * setup points it at a bundle of src/threads/worker.ts (ts-jest runs src/, threads cannot).
 */
export const THREAD_WORKER_ENV = 'RT_SLO_THREAD_WORKER';
