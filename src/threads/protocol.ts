/**
 * Messages between the main thread and a measurement isolate (worker thread or child process),
 * and the layout of the shared control block that lines threads up at a start line.
 * Plain data only: everything here crosses `postMessage` or a process's IPC channel.
 */

/** Int32 slots of the control block. */
export const CONTROL = {
  /** Threads that reached the start line of the current window. */
  ARRIVED: 0,
  /** Sequence number of the window that has started (set by the last thread to arrive). */
  GO: 1,
  /** 0 until one thread claims the right to end the window. */
  CLAIM: 2,
  /** 1 once the window has ended (its end time is written first). */
  STOP: 3,
} as const;
const INT32_SLOTS = 4;
/** Float64 slots (absolute ms, `performance.timeOrigin + performance.now()`), after the Int32s. */
export const TIMES = { GO_AT: 0, STOP_AT: 1 } as const;
const FLOAT64_SLOTS = 2;
export const TIMES_OFFSET = INT32_SLOTS * Int32Array.BYTES_PER_ELEMENT;
export const CONTROL_BYTES = TIMES_OFFSET + FLOAT64_SLOTS * Float64Array.BYTES_PER_ELEMENT;

export interface InitMessage {
  type: 'init';
  modulePath: string;
  exportName: string;
  /** Optional exports, or null when the task has none (or the user turned them off). */
  setupName: string | null;
  verifyName: string | null;
  shared: Record<string, unknown>;
  args: unknown[];
  thread: number;
  control: SharedArrayBuffer;
  warmupMs: number;
  targetBatchNs: number;
  /** The TypeScript task module transpiled by the main thread, or null. */
  compiled: string | null;
}

export interface RunMessage {
  type: 'run';
  seq: number;
  level: number;
  windowMs: number;
  maxSamples: number;
  barrierTimeoutMs: number;
}

export interface VerifyMessage {
  type: 'verify';
  totalCalls: number;
  level: number;
}

export interface StartupMessage {
  type: 'startup';
  modulePath: string;
  exportName: string;
  args: unknown[];
  /** Sampling budget for the warm (cached) path after the first call; 0 = not measured. */
  warmMs: number;
  targetBatchNs: number;
}

export type ToIsolate = InitMessage | RunMessage | VerifyMessage | StartupMessage;

export interface ReadyMessage {
  type: 'ready';
  batch: number;
  /** One call's time at the end of warm-up (ns). */
  perCallNs: number;
  isAsync: boolean;
  baselineNs: number;
  totalCalls: number;
  hasVerify: boolean;
}

export interface WindowMessage {
  type: 'window';
  seq: number;
  /** Calls completed inside the window [goAt, stopAt]. */
  calls: number;
  /** Every call this thread has made since it started (warm-up included), for verify. */
  totalCalls: number;
  goAt: number;
  stopAt: number;
  /** This thread's own loop, first batch start to last batch end (ns). */
  spanNs: number;
  /** Time this thread was runnable but waiting for a CPU during its loop (ns); null off Linux. */
  cpuWaitNs: number | null;
  /** Per-call latency samples (ns): batch time / calls per batch, empty loop subtracted. */
  samples: Float64Array;
}

export interface VerifiedMessage {
  type: 'verified';
  ok: boolean;
  message?: string;
}

export interface WarmSamples {
  samples: Float64Array;
  batch: number;
  baselineNs: number;
}

export interface StartedMessage {
  type: 'started';
  /** require() of the module, then its export's first call (awaited), in ns. */
  loadNs: number;
  firstCallNs: number;
  isAsync: boolean;
  typescript: boolean;
  warm?: WarmSamples;
  /** Time spent measuring the warm path (ns). */
  warmNs?: number;
}

export interface ErrorMessage {
  type: 'error';
  /** What the isolate was doing: loading the module, running the task, verifying, … */
  phase: 'load' | 'export' | 'setup' | 'warmup' | 'run' | 'barrier' | 'verify' | 'startup';
  message: string;
  stack?: string;
}

/** A child process is listening (a message sent before that could be lost). */
export interface HelloMessage {
  type: 'hello';
}

export type FromIsolate = HelloMessage | ReadyMessage | WindowMessage | VerifiedMessage | StartedMessage | ErrorMessage;
