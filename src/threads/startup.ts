/**
 * Cold starts for `toStartUnder`: each run is a fresh isolate (a new worker thread, or a new
 * Node process) that requires the module and completes one call of its export; the isolate
 * times that itself, so spawning the isolate and our own bootstrap are not counted.
 */
import { now } from '../measure/clock';
import type { StartedMessage } from './protocol';
import { Isolate, type Isolation } from './spawn';
import type { StartupTask } from './task';

export interface StartupRun extends StartedMessage {
  /** Main-side wall time from creating the isolate to its reply (ns): what the isolate itself cost. */
  isolateNs: number;
}

export interface StartupOptions {
  isolation: Isolation;
  /** Sampling budget of the warm path after the first call, per run (0: not measured). */
  warmMs: number;
  targetBatchNs: number;
  timeoutMs: number;
}

/** One cold start in a fresh isolate, which is closed before this returns. */
export async function coldStart(task: StartupTask, opts: StartupOptions): Promise<StartupRun> {
  const t0 = now();
  const iso = new Isolate(opts.isolation);
  try {
    if (opts.isolation === 'process') await iso.next(opts.timeoutMs, 'starting a child process');
    iso.send({ type: 'startup', modulePath: task.module, exportName: task.export, args: task.args, warmMs: opts.warmMs, targetBatchNs: opts.targetBatchNs });
    const reply = (await iso.next(opts.timeoutMs + opts.warmMs, `loading ${task.module} and calling ${task.export}()`)) as StartedMessage;
    return { ...reply, isolateNs: (now() - t0) * 1e6 };
  } finally {
    await iso.close();
  }
}
