/**
 * Overlap: measurements that ran at the same time in different Jest workers compete for the
 * same cores and disturb each other (DESIGN.md: two perf files at once halve each other's
 * throughput on 2 cores). Finds every record whose [startedAt, endedAt] span overlaps a span
 * from another worker, in O(n log n).
 */
import type { SloRecord } from '../types';

export interface Overlap {
  /** Refs of the records that overlapped a measurement in another worker. */
  records: string[];
  /** The workers (`pid:JEST_WORKER_ID`) involved. */
  workers: string[];
}

type Span = Pick<SloRecord, 'startedAt' | 'endedAt' | 'pid' | 'worker'> & { ref: string };

function workerOf(r: Span): string {
  return `${r.pid}:${r.worker}`;
}

/**
 * The two best values seen so far from two different workers: enough to answer "is there a
 * value from a worker other than w" for any w.
 */
class TopTwo {
  private a?: { v: number; w: string };
  private b?: { v: number; w: string };
  constructor(private readonly better: (x: number, y: number) => boolean) {}
  add(v: number, w: string): void {
    if (!this.a || this.better(v, this.a.v)) {
      if (this.a && this.a.w !== w) this.b = this.a;
      this.a = { v, w };
    } else if (this.a.w !== w && (!this.b || this.better(v, this.b.v))) {
      this.b = { v, w };
    }
  }
  /** The best value from a worker other than `w`. */
  bestExcept(w: string): number | undefined {
    if (this.a && this.a.w !== w) return this.a.v;
    return this.b?.v;
  }
}

/** Records whose spans overlap a span from another worker. Touching ends do not overlap. */
export function findOverlaps(records: readonly Span[]): Overlap {
  const sorted = [...records].sort((x, y) => x.startedAt - y.startedAt);
  const hit = new Set<number>();
  // Forward: did any record that started earlier, in another worker, end after this one started?
  const latestEnd = new TopTwo((x, y) => x > y);
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i];
    const end = latestEnd.bestExcept(workerOf(r));
    if (end !== undefined && end > r.startedAt) hit.add(i);
    latestEnd.add(r.endedAt, workerOf(r));
  }
  // Backward: does any record that started later, in another worker, start before this one ends?
  const earliestStart = new TopTwo((x, y) => x < y);
  for (let i = sorted.length - 1; i >= 0; i--) {
    const r = sorted[i];
    const start = earliestStart.bestExcept(workerOf(r));
    if (start !== undefined && start < r.endedAt) hit.add(i);
    earliestStart.add(r.startedAt, workerOf(r));
  }
  const ids: string[] = [];
  const workers = new Set<string>();
  for (const i of [...hit].sort((x, y) => x - y)) {
    ids.push(sorted[i].ref);
    workers.add(workerOf(sorted[i]));
  }
  return { records: ids, workers: [...workers].sort() };
}
