/**
 * Memory read through a user's probe instead of this isolate's heap: for memory the matchers'
 * own isolate cannot see (another worker thread's heap, a child process, a native pool).
 * The probe returns bytes held; it is responsible for any GC in the isolate it reads.
 */
import { now } from './clock';
import { medianStep, type Held, type MemoryMeasured, type UsageResult } from './memory';

export type MemoryProbe = () => number | Promise<number>;

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

async function read(probe: MemoryProbe): Promise<number> {
  const v = await probe();
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new TypeError(`toUseMemoryUnder: option probe must return a finite number of bytes ≥ 0; it returned ${String(v)}`);
  }
  return v;
}

/**
 * Same shape and reading as measureUsage: `runs` runs of `calls` calls; each run's figure is the
 * probe after the run less the probe before the first run, corrected for steady growth per run
 * (the median step). No peak can be seen through a probe: peak equals the held figure.
 */
export async function measureUsageWithProbe(fn: MemoryMeasured, probe: MemoryProbe, opts: { runs: number; calls: number }): Promise<UsageResult> {
  const wall0 = now();
  const base = await read(probe);
  const held: number[] = [];
  let isAsync = false;
  for (let k = 0; k < opts.runs; k++) {
    for (let c = 0; c < opts.calls; c++) {
      const r = fn();
      if (isThenable(r)) {
        isAsync = true;
        await r;
      }
    }
    held.push((await read(probe)) - base);
  }
  const b = held.length >= 2 ? medianStep(held) : 0;
  const baseline: Held = { heapUsed: base, code: 0, external: 0, arrayBuffers: 0, total: base };
  const last = held[held.length - 1] ?? 0;
  return {
    runs: held.map((h, i) => ({ held: h, peak: h, retained: h - i * b, peakOfRun: h - i * b, gcsDuringRun: 0 })),
    growthPerRun: b,
    baseline,
    baselineSnapshots: 1,
    baselineQuiet: true,
    heapDelta: last,
    externalDelta: 0,
    arrayBuffersDelta: 0,
    isAsync,
    wallMs: now() - wall0,
    gcMs: 0,
  };
}
