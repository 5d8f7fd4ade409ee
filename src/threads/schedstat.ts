/**
 * The one reader of /proc/thread-self/schedstat, for the thread form (each isolate's threads)
 * and the event-loop form (the test's own thread).
 */
import fs from 'node:fs';

const SCHEDSTAT = '/proc/thread-self/schedstat';
/** Module state is per thread (each worker loads its own copy): one failed read ends the tries. */
let readable = true;

export interface Schedstat {
  /** Time this thread has run on a CPU since it started (ns). */
  runNs: number;
  /** Time it was runnable but waiting for a CPU (ns). */
  waitNs: number;
}

/**
 * This thread's time on a CPU and time spent runnable but waiting for one (Linux only;
 * undefined elsewhere). The wait is CPU the machine did not offer us: other load, or more of
 * our own threads than cores. A thread blocked on a lock sleeps or spins, so it never counts
 * as waiting.
 */
export function readSchedstat(): Schedstat | undefined {
  if (!readable) return undefined;
  try {
    const [run, wait] = fs.readFileSync(SCHEDSTAT, 'utf8').split(' ').map(Number);
    if (Number.isFinite(run) && Number.isFinite(wait)) return { runNs: run, waitNs: wait };
  } catch {
    // not Linux, or /proc not mounted
  }
  readable = false;
  return undefined;
}
