/**
 * rt-slo-reporter: performance SLOs as Jest tests.
 * The default export is the reporter, so `jest --reporters=rt-slo-reporter` resolves.
 */
import SloReporter from './reporter/index';

export default SloReporter;
export { SloReporter };
export { doNotOptimize } from './measure/sink';
export { benchmark, type BenchmarkOptions, type BenchmarkResult } from './measure/benchmark';
export type { Stat } from './measure/stats';
export type { CompareStat } from './measure/compare';
export type { Isolation } from './threads/spawn';
export type { SloDeclaration, SloDeclarations } from './declarations';
export { parseDuration, formatDuration, type Duration, type DurationUnit } from './units/duration';
export { parseBytes, formatBytes, type ByteSize } from './units/bytes';
export type { OverheadLimit, Percentage, Factor, Fraction } from './units/limit';
export type { SloRecord, Tier, Verdict, Interval, Summary, Fingerprint, Unit, Direction } from './types';
export type { SloReporterOptions, FailOn, SloReport, ReportRecord, SloRow, RowVerdict, Decision, DecisionVerdict, TierCounts, TestStatus, TestRef, ConfigError, BadLine } from './reporter/index';
export type {
  SloMatchers,
  RowOptions,
  RunUnderOptions,
  FasterThanOptions,
  OverheadOptions,
  ScaleLinearlyOptions,
  StartUnderOptions,
  UseMemoryUnderOptions,
  LeakMemoryOptions,
  MemoryMeasure,
} from './matchers/index';
export { inThreads, startup, type ThreadTask, type StartupTask, type TaskContext, type InThreadsOptions, type StartupOptions } from './threads/task';
