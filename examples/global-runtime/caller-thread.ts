/**
 * A caller thread for the runtime's own tests: attaches to a shared runtime, waits at a
 * barrier so every caller starts together, makes its calls, and reports what came back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { attach, task, type RuntimeHandle } from './runtime';

interface Job {
  handle: RuntimeHandle;
  module: string;
  name: string;
  args: unknown[];
  calls: number;
  /** Int32[0]: callers arrived; every caller waits until it equals `callers`. */
  barrier: SharedArrayBuffer;
  callers: number;
  /** With `calls: 0`: call until Int32[0] of this buffer is set, and report only the count. */
  stop?: SharedArrayBuffer;
}

const job = workerData as Job;
const rt = attach(job.handle);
const ref = task(job.module, job.name);
const barrier = new Int32Array(job.barrier);
Atomics.add(barrier, 0, 1);
Atomics.notify(barrier, 0);
for (let n = Atomics.load(barrier, 0); n < job.callers; n = Atomics.load(barrier, 0)) Atomics.wait(barrier, 0, n);
const values: unknown[] = [];
const startedAt = performance.timeOrigin + performance.now();
let error: string | undefined;
let calls = 0;
try {
  if (job.stop) {
    const stop = new Int32Array(job.stop);
    while (Atomics.load(stop, 0) === 0) {
      rt.execute(ref, ...job.args);
      calls++;
    }
  } else {
    for (; calls < job.calls; calls++) values.push(rt.execute(ref, ...job.args));
  }
} catch (e) {
  error = `${(e as Error).name}: ${(e as Error).message}`;
}
const endedAt = performance.timeOrigin + performance.now();
parentPort!.postMessage({ values, calls, startedAt, endedAt, error });
