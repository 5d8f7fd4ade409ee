// Measures the four bench functions where this test file runs (inside Jest's VM sandbox under
// the default runner, bare Node under jest-light-runner) and through outsideSandbox(), and
// writes the p50 per call (ns) to $FIDELITY_OUT for bench/fidelity.mjs.
const fs = require('node:fs');
const path = require('node:path');
const { benchmark, fidelity, outsideSandbox } = require('rt-slo-reporter');

const NAMES = ['probe', 'json', 'fde', 'lodash'];
// V8 takes up to ~300 ms to optimise fast-deep-equal in a Jest worker: warm up past that.
const OPTS = { warmup: process.env.FIDELITY_WARMUP || '500ms', maxTime: process.env.FIDELITY_MAXTIME || '1s' };
const moduleFile = (name) => path.join(__dirname, '..', 'modules', `${name}.js`);

test('fidelity figures', async () => {
  const out = process.env.FIDELITY_OUT;
  if (!out) throw new Error('FIDELITY_OUT is not set: run this project through bench/fidelity.mjs');
  // Alternate orders between repeats (set by the bench), so drift hits every figure alike.
  const reverse = process.env.FIDELITY_REVERSE === '1';
  const paths = {
    // Jest's require: the module (and fast-deep-equal, lodash) compiled in this file's context.
    here: (name) => require(moduleFile(name)).make(),
    // Node's own loader: compiled in the main context.
    outside: (name) => outsideSandbox(moduleFile(name), 'make', { factory: true }),
  };
  const result = { here: {}, outside: {} };
  const names = reverse ? [...NAMES].reverse() : NAMES;
  for (const name of names) {
    const order = reverse ? ['outside', 'here'] : ['here', 'outside'];
    for (const p of order) {
      const fn = paths[p](name);
      expect(typeof fn()).not.toBe('undefined');
      const r = await benchmark(fn, OPTS);
      expect(r.samples).toBeGreaterThan(0);
      result[p][name] = r.summary.p50;
    }
  }
  const f = await fidelity();
  fs.writeFileSync(out, JSON.stringify({ ...result, fidelity: f }));
});
