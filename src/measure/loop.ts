import { blackhole } from './sink';

/** A compiled batch: runs the function under test `k` times and stores every result in the sink. */
export type Batch = () => unknown;

/**
 * Compiles a fresh batch loop for one function. A loop shared across many user functions turns
 * its call site megamorphic (`() => 42` measured 21.7 ns instead of 1.2 ns, DESIGN.md); a new
 * function per measurement keeps it monomorphic, as mitata does.
 */
export function compileBatch(fn: (...args: never[]) => unknown, k: number, isAsync: boolean): Batch {
  const body = isAsync
    ? 'return async function batch() { for (let i = 0; i < k; i++) sink.value = await fn(); };'
    : 'return function batch() { for (let i = 0; i < k; i++) sink.value = fn(); };';
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('fn', 'sink', 'k', body)(fn, blackhole, k) as Batch;
}

/** The empty loop: its per-iteration cost is subtracted from every sample. */
export function compileEmptyBatch(k: number): Batch {
  const noop = (): undefined => undefined;
  return compileBatch(noop, k, false);
}
