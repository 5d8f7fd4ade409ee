/**
 * The only file that knows tinybench. tinybench times each call of a task; we hand it a compiled
 * batch loop as the task and get back raw batch durations. A tinybench upgrade touches this file.
 */
import { Bench } from 'tinybench';
import { now } from './clock';
import type { Batch } from './loop';

export interface Sampler {
  /** Runs the batch for about `timeMs` (at least once) and returns each batch's duration in ms. */
  round(timeMs: number): Promise<number[]>;
}

export function createSampler(batch: Batch, isAsync: boolean): Sampler {
  // A Bench's time budget is fixed at construction; rounds come in a few lengths (powers of
  // two), so one Bench per length is built once and reset between rounds.
  const benches = new Map<number, Bench>();
  const benchFor = (timeMs: number): Bench => {
    let bench = benches.get(timeMs);
    if (!bench) {
      bench = new Bench({
        time: timeMs,
        iterations: 1,
        warmup: false,
        retainSamples: true,
        throws: true,
        // Our captured clock: tinybench's own performance.now would freeze under fake timers.
        now,
      });
      bench.add('batch', batch, { async: isAsync });
      benches.set(timeMs, bench);
    }
    return bench;
  };
  return {
    async round(timeMs: number): Promise<number[]> {
      const bench = benchFor(timeMs);
      bench.reset();
      if (isAsync) await bench.run();
      else bench.runSync();
      const result = bench.tasks[0].result;
      if (result.state === 'errored') throw result.error;
      if (result.state !== 'completed' && result.state !== 'aborted-with-statistics') {
        throw new Error(`rt-slo-reporter: tinybench ended a round in state "${result.state}"`);
      }
      return Array.from(result.latency.samples ?? []);
    },
  };
}
