/**
 * A compiled batch: runs the function under test `k` times and stores every result in a sink.
 * `resize` changes `k` for later runs, so calibration's doubling batches train the very loop that
 * is then sampled (a freshly compiled loop starts cold, in the interpreter).
 */
export type Batch = (() => unknown) & { resize(k: number): void };

/** Loops compiled so far in this isolate: makes each loop's source unique (see compileBatch). */
let compiled = 0;

/**
 * Compiles a fresh batch loop for one function. A loop shared across many user functions turns
 * its call site megamorphic (`() => 42` measured 21.7 ns instead of 1.2 ns); a new function per
 * measurement keeps it monomorphic, as mitata does. The source must differ each time: V8 caches
 * `new Function` by its source text, and closures of one cached source share their feedback, so
 * after four functions every "fresh" loop was megamorphic again (~6.5 ns a call instead of
 * ~0.6 ns, the empty loop included).
 *
 * Every result is stored in a sink so the JIT cannot delete the call. Each loop owns its sink:
 * one sink shared by loops whose functions return different types (42 here, undefined in the
 * empty loop) goes polymorphic and made both loops cost ~9 ns a call instead of ~0.7 ns.
 */
export function compileBatch(fn: (...args: never[]) => unknown, k: number, isAsync: boolean): Batch {
  const loop = isAsync
    ? 'async function batch() { for (let i = 0; i < k; i++) sink.value = await fn(); return sink; }'
    : 'function batch() { for (let i = 0; i < k; i++) sink.value = fn(); return sink; }';
  const body = `const sink = { value: undefined }; ${loop} batch.resize = (n) => { k = n; }; return batch; // loop ${++compiled}`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('fn', 'k', body)(fn, k) as Batch;
}

/** The empty loop: its per-iteration cost is subtracted from every sample. */
export function compileEmptyBatch(k: number): Batch {
  const noop = (): undefined => undefined;
  return compileBatch(noop, k, false);
}
