/**
 * A place to put results so the JIT cannot prove them unused and delete the work.
 * The measurement loop stores every call's result here already; call `doNotOptimize`
 * yourself only for values computed inside your function that it does not return.
 */
const sink: { value: unknown } = { value: undefined };

/**
 * Keeps `value` observable so the optimizer cannot eliminate the computation that produced it.
 * Returns the value, so it can wrap an expression.
 *
 * @example
 * await expect(() => { const parsed = JSON.parse(text); doNotOptimize(parsed.items); }).toRunUnder('20us');
 */
export function doNotOptimize<T>(value: T): T {
  sink.value = value;
  return value;
}

/** The sink object itself, handed to compiled measurement loops. */
export const blackhole = sink;
