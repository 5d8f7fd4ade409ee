/** A compiled batch: runs the function under test `k` times and stores every result in a sink. */
export type Batch = () => unknown;

/**
 * Compiles a fresh batch loop for one function. A loop shared across many user functions turns
 * its call site megamorphic (`() => 42` measured 21.7 ns instead of 1.2 ns, DESIGN.md); a new
 * function per measurement keeps it monomorphic, as mitata does.
 *
 * Every result is stored in a sink so the JIT cannot delete the call. Each loop owns its sink:
 * one sink shared by loops whose functions return different types (42 here, undefined in the
 * empty loop) goes polymorphic and made both loops cost ~9 ns a call instead of ~0.7 ns.
 */
export function compileBatch(fn: (...args: never[]) => unknown, k: number, isAsync: boolean): Batch {
  const body = isAsync
    ? 'const sink = { value: undefined }; return async function batch() { for (let i = 0; i < k; i++) sink.value = await fn(); return sink; };'
    : 'const sink = { value: undefined }; return function batch() { for (let i = 0; i < k; i++) sink.value = fn(); return sink; };';
  return new Function('fn', 'k', body)(fn, k) as Batch;
}

/** The empty loop: its per-iteration cost is subtracted from every sample. */
export function compileEmptyBatch(k: number): Batch {
  const noop = (): undefined => undefined;
  return compileBatch(noop, k, false);
}
