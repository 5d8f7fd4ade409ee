// @ts-check
/**
 * Which transport is faster for execute(): JSON in the shared buffer (the default) or
 * postMessage + receiveMessageOnPort after Atomics.wait? Interleaved rounds, p50 per call.
 *
 *   npm run build && node examples/global-runtime/transport.bench.js
 */
'use strict';
require('./transpile-cache.js').installTranspileCache();
const { benchmark } = require('rt-slo-reporter');
const { Runtime, tasksOf } = require('./runtime.ts');

const t = tasksOf(require.resolve('./tasks.ts'));
/** Interleaved rounds per transport: drift of a shared machine hits both alike. */
const ROUNDS = 5;
/** Sampling time of one round, ms. */
const ROUND_MS = 300;
const PAYLOAD = { items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] })) };

async function main() {
  const runtimes = { 'shared-buffer': new Runtime(), 'message-port': new Runtime({ transport: 'message-port' }) };
  const cases = {
    'simple_return (a number)': (/** @type {any} */ rt) => () => rt.execute(t.simpleReturn),
    [`echo (${JSON.stringify(PAYLOAD).length} B of JSON)`]: (/** @type {any} */ rt) => () => rt.execute(t.echo, PAYLOAD),
  };
  for (const [name, make] of Object.entries(cases)) {
    /** @type {Record<string, number[]>} */
    const p50 = { 'shared-buffer': [], 'message-port': [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const [transport, rt] of Object.entries(runtimes)) p50[transport].push((await benchmark(make(rt), { maxTime: ROUND_MS })).interval.estimate);
    }
    const med = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const sab = med(p50['shared-buffer']);
    const port = med(p50['message-port']);
    console.log(`${name}: shared-buffer ${(sab / 1000).toFixed(1)}µs, message-port ${(port / 1000).toFixed(1)}µs per call (p50, median of ${ROUNDS} interleaved rounds): message-port/shared-buffer = ${(port / sab).toFixed(2)}`);
  }
  for (const rt of Object.values(runtimes)) rt.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
