/**
 * A pool of worker threads running one task, for the thread form of `toScaleLinearly`.
 * Started once at the largest level and reused: a window at level n runs threads 0..n-1.
 */
import os from 'node:os';
import { CONTROL, CONTROL_BYTES, type ReadyMessage, type VerifiedMessage, type WindowMessage } from './protocol';
import { Isolate, IsolateFailure } from './spawn';
import type { ThreadTask } from './task';
import { isTypeScriptFile, transpileFile } from './typescript-hook';

export interface PoolOptions {
  warmupMs: number;
  targetBatchNs: number;
  /** Loading the module and warming up, per thread. */
  initTimeoutMs: number;
  /** How long a window may overrun (and threads may wait at the start line) before it is a hang. */
  hangTimeoutMs: number;
  /** Latency samples each thread returns per window. */
  maxSamplesPerWindow: number;
}

export interface WindowResult {
  /** Calls completed inside the window, all threads together. */
  calls: number;
  /** The window's wall time (common start to first thread past the window's length). */
  seconds: number;
  /** Per-call latency samples (ns), every thread's. */
  samples: Float64Array[];
  /**
   * CPU the machine offered the threads during the window, in cores: Σ over threads of
   * (own loop time − time runnable but waiting for a CPU) / window. Undefined off Linux.
   */
  offeredCores?: number;
}

export interface VerifyResult {
  checked: boolean;
  ok: boolean;
  message?: string;
}

/** The task module as CommonJS, or null to let each thread transpile it (no compiler here). */
function precompile(file: string): string | null {
  try {
    return transpileFile(file);
  } catch {
    return null;
  }
}

export class ThreadPool {
  private readonly ctl: Int32Array;
  private readonly totals: number[];
  private seq = 0;

  private constructor(
    private readonly isolates: Isolate[],
    readonly ready: ReadyMessage[],
    control: SharedArrayBuffer,
    private readonly opts: PoolOptions,
  ) {
    this.ctl = new Int32Array(control, 0, 4);
    this.totals = ready.map((r) => r.totalCalls);
  }

  /** Starts `size` threads, each loading the task and warming it up (all at once). */
  static async start(task: ThreadTask, size: number, opts: PoolOptions): Promise<ThreadPool> {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    const isolates: Isolate[] = [];
    // Transpiled once here rather than by a compiler loaded in every thread (~0.3 s of CPU each).
    const compiled = isTypeScriptFile(task.module) ? precompile(task.module) : null;
    try {
      for (let i = 0; i < size; i++) isolates.push(new Isolate('thread'));
      isolates.forEach((iso, thread) =>
        iso.send({
          type: 'init',
          modulePath: task.module,
          exportName: task.export,
          setupName: task.setup || null,
          verifyName: task.verify || null,
          shared: task.shared,
          args: task.args,
          thread,
          control,
          warmupMs: opts.warmupMs,
          targetBatchNs: opts.targetBatchNs,
          compiled,
        }),
      );
      const ready = await Promise.all(isolates.map((iso) => iso.next(opts.initTimeoutMs, 'loading the task and warming it up')));
      return new ThreadPool(isolates, ready as ReadyMessage[], control, opts);
    } catch (e) {
      await Promise.all(isolates.map((iso) => iso.close()));
      throw e;
    }
  }

  get size(): number {
    return this.isolates.length;
  }

  /** Calls of the task made so far by every thread (warm-up included). */
  get totalCalls(): number {
    return this.totals.reduce((a, b) => a + b, 0);
  }

  /** The slowest thread's calibrated call, in ms (bounds how long a window can overrun). */
  private get slowestBatchMs(): number {
    return Math.max(...this.ready.map((r) => r.batch * r.perCallNs)) / 1e6;
  }

  /** One window: `level` threads start together, run the task for `windowMs`, stop together. */
  async window(level: number, windowMs: number): Promise<WindowResult> {
    const seq = ++this.seq;
    Atomics.store(this.ctl, CONTROL.ARRIVED, 0);
    Atomics.store(this.ctl, CONTROL.CLAIM, 0);
    Atomics.store(this.ctl, CONTROL.STOP, 0);
    const running = this.isolates.slice(0, level);
    for (const iso of running) {
      iso.send({ type: 'run', seq, level, windowMs, maxSamples: this.opts.maxSamplesPerWindow, barrierTimeoutMs: this.opts.hangTimeoutMs });
    }
    const timeout = windowMs + this.slowestBatchMs + this.opts.hangTimeoutMs;
    const replies = (await Promise.all(running.map((iso) => iso.next(timeout, `running a ${windowMs} ms window with ${level} thread${level === 1 ? '' : 's'}`)))) as WindowMessage[];
    let calls = 0;
    replies.forEach((r, i) => {
      calls += r.calls;
      this.totals[i] = r.totalCalls;
    });
    const { goAt, stopAt } = replies[0];
    if (!(stopAt > goAt)) throw new IsolateFailure(`window at level ${level} has no duration (start ${goAt}, end ${stopAt})`, 'run');
    const windowNs = stopAt - goAt;
    let offeredCores: number | undefined = 0;
    for (const r of replies) {
      if (r.cpuWaitNs === null || offeredCores === undefined) offeredCores = undefined;
      // The thread's undeprived share of its own loop, applied to the part of it inside the window
      // (a thread descheduled at the end runs its last batch after the window closed).
      else offeredCores += (Math.min(r.spanNs, windowNs) * Math.max(0, 1 - r.cpuWaitNs / r.spanNs)) / windowNs;
    }
    // Never more cores than the machine has (the estimate runs a little high when oversubscribed).
    if (offeredCores !== undefined) offeredCores = Math.min(offeredCores, os.availableParallelism());
    return { calls, seconds: windowNs / 1e9, samples: replies.map((r) => r.samples), offeredCores };
  }

  /** Asks thread 0 to run the task's verify(ctx, totalCalls), when the module has one. */
  async verify(level: number): Promise<VerifyResult> {
    if (!this.ready[0].hasVerify) return { checked: false, ok: true };
    this.isolates[0].send({ type: 'verify', totalCalls: this.totalCalls, level });
    const r = (await this.isolates[0].next(this.opts.hangTimeoutMs, 'verifying shared state')) as VerifiedMessage;
    return { checked: true, ok: r.ok, message: r.message };
  }

  async close(): Promise<void> {
    await Promise.all(this.isolates.map((iso) => iso.close()));
  }
}
