/**
 * The plan's concurrent benchmark as a thread task for `toScaleLinearly(inThreads(…))`: every
 * caller thread attaches to ONE shared runtime (its handle arrives in `ctx.shared.runtime`)
 * and calls `execute(increment)` in a loop — the plan's `execute(async { counter.fetch_add(1) })`.
 * `verify` checks that the shared counter equals the number of calls made: a lost or
 * duplicated request in the shared queue (a race) or a stuck one (a deadlock) shows there.
 */
import { attach, execute, tasksOf, type RuntimeHandle } from './runtime';

const t = tasksOf<typeof import('./tasks')>(require.resolve('./tasks'));

/** What the matcher hands every thread task (the fields used here). */
interface Ctx {
  shared: { runtime: RuntimeHandle };
  local: Int32Array;
}

/** Once per caller thread: attach to the shared runtime; the local value is a view of the counter. */
export function setup(ctx: Pick<Ctx, 'shared'>): Int32Array {
  attach(ctx.shared.runtime);
  return new Int32Array(ctx.shared.runtime.shared, 0, 1);
}

/** One call through the shared runtime. */
export function run(): void {
  execute(t.increment);
}

/** The counter must equal every call made so far, by every thread. */
export function verify(ctx: Ctx, totalCalls: number): true | string {
  const value = Atomics.load(ctx.local, 0);
  return value === totalCalls || `shared counter is ${value} after ${totalCalls} execute() calls: ${Math.abs(totalCalls - value)} ${value < totalCalls ? 'lost' : 'duplicated'}`;
}
