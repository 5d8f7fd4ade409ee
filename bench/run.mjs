// npm run bench — our engine side by side with mitata and tinybench, in one run.
// Prints Markdown tables (copied into README's Performance section with the machine).
//   1. accuracy: our per-call p50 against mitata's on reference functions;
//   2. time to verdict: a clear-cut toRunUnder against a default tinybench run and a mitata run;
//   3. memory: bytes retained per measurement (and the peak while measuring);
//   4. fidelity: four functions inside Jest's sandbox, through the fidelity paths and in plain Node (fidelity.mjs).
// Run with --expose-gc (the npm script does) so the memory figures are after a full GC.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { expect } from 'expect';
import { measure as mitataMeasure } from 'mitata';
import { Bench } from 'tinybench';
import { benchmark, formatDuration } from '../dist/index.mjs';
import * as matchers from '../dist/matchers.mjs';
import { fidelityTable } from './fidelity.mjs';

expect.extend(matchers);
const now = performance.now.bind(performance);
const here = path.dirname(fileURLToPath(import.meta.url));
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const busyWait = (ns) => {
  const end = now() + ns / 1e6;
  while (now() < end);
};
const fmt = (ns) => formatDuration(ns);
const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const add = (a, b) => a + b;
const doc = JSON.stringify({
  id: 1,
  name: 'rt-slo-reporter',
  tags: Array.from({ length: 20 }, (_, i) => `tag-${i}`),
  items: Array.from({ length: 12 }, (_, i) => ({ i, label: `item ${i}`, ok: i % 2 === 0, score: i * 1.5 })),
}).padEnd(1024, ' ');

const REFERENCE = [
  ['() => 42', () => 42],
  ['(a, b) => a + b', () => add(1, 2)],
  ['async () => 42', async () => 42],
  ['JSON.parse (1 KB)', () => JSON.parse(doc)],
  ['busy-wait 1µs', () => busyWait(1_000)],
  ['busy-wait 50µs', () => busyWait(50_000)],
];

function header() {
  const cpu = os.cpus()[0]?.model.trim();
  return `Machine: ${cpu}, ${os.cpus().length} cores (availableParallelism ${os.availableParallelism()}), Node ${process.version}, ${os.platform()}/${os.arch()}, load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}. Medians of ${REPEATS} runs.`;
}

async function accuracy() {
  const rows = [];
  for (const [name, fn] of REFERENCE) {
    const ours = [];
    const theirs = [];
    for (let r = 0; r < REPEATS; r++) {
      // Alternate who goes first, so drift in the machine hits both alike.
      if (r % 2 === 0) {
        ours.push((await benchmark(fn, { maxTime: 300 })).summary.p50);
        theirs.push((await mitataMeasure(fn)).p50);
      } else {
        theirs.push((await mitataMeasure(fn)).p50);
        ours.push((await benchmark(fn, { maxTime: 300 })).summary.p50);
      }
    }
    const o = median(ours);
    const m = median(theirs);
    const diff = o - m;
    const allowed = Math.max(2, 0.1 * m);
    rows.push([name, fmt(o), fmt(m), `${diff >= 0 ? '+' : ''}${fmt(diff)} (${m > 0 ? ((diff / m) * 100).toFixed(1) : '–'}%)`, Math.abs(diff) <= allowed ? 'yes' : 'NO']);
  }
  return table(['function', 'rt-slo-reporter p50', 'mitata p50', 'difference', 'within max(2ns, 10%)'], rows);
}

async function wall(f) {
  const t0 = now();
  await f();
  return now() - t0;
}

async function timeToVerdict() {
  const CASES = [
    ['() => 42 under 1us (pass)', () => 42, () => expect(() => 42).toRunUnder('1us')],
    ['busy-wait 50µs under 200us (pass)', () => busyWait(50_000), () => expect(() => busyWait(50_000)).toRunUnder('200us')],
    ['busy-wait 50µs under 10us (fail)', () => busyWait(50_000), () => expect(expect(() => busyWait(50_000)).toRunUnder('10us')).rejects.toThrow()],
    ['JSON.parse 1 KB under 100us (pass)', () => JSON.parse(doc), () => expect(() => JSON.parse(doc)).toRunUnder('100us')],
    ['async () => 42 under 20us (pass)', async () => 42, () => expect(async () => 42).toRunUnder('20us')],
  ];
  const rows = [];
  const ratios = [];
  for (const [name, fn, assertion] of CASES) {
    const ours = [];
    const tb = [];
    const mi = [];
    for (let r = 0; r < REPEATS; r++) {
      ours.push(await wall(assertion));
      mi.push(await wall(() => mitataMeasure(fn)));
      tb.push(
        await wall(async () => {
          const bench = new Bench();
          bench.add(name, fn);
          await bench.run();
        }),
      );
    }
    const o = median(ours);
    ratios.push(o);
    rows.push([name, `${o.toFixed(0)} ms`, `${median(tb).toFixed(0)} ms (${(median(tb) / o).toFixed(0)}×)`, `${median(mi).toFixed(0)} ms (${(median(mi) / o).toFixed(0)}×)`]);
  }
  const overall = median(ratios);
  return `${table(['clear-cut case', 'toRunUnder (verdict)', 'tinybench defaults (× ours)', 'mitata measure (× ours)'], rows)}\n\nMedian time to verdict over the cases: ${overall.toFixed(0)} ms (goal ≤ 100 ms, warm-up included).`;
}

async function memory() {
  if (typeof globalThis.gc !== 'function') return '(run with --expose-gc for memory figures)';
  const N = 20;
  const gcFull = () => {
    for (let i = 0; i < 3; i++) globalThis.gc();
  };
  const heap = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external + m.arrayBuffers;
  };
  const fn = () => 42;
  await expect(fn).toRunUnder('1us'); // warm our own code paths first
  gcFull();
  const before = heap();
  let peak = 0;
  for (let i = 0; i < N; i++) {
    const h0 = heap();
    // A long, undecided measurement: the worst case for samples kept.
    await expect(fn).toRunUnder('1ns', { tier: 'nice', maxTime: 300 });
    peak = Math.max(peak, heap() - h0);
  }
  gcFull();
  const retained = (heap() - before) / N;
  return table(
    ['measurement', 'retained per measurement', 'heap growth while measuring (max)'],
    [[`toRunUnder, 300 ms undecided (× ${N})`, `${Math.max(0, retained).toFixed(0)} B (goal ≤ 1 MB)`, `${(peak / 1024).toFixed(0)} KiB`]],
  );
}

console.log(`# rt-slo-reporter benchmarks\n\n${header()}\n`);
console.log(`## Accuracy: per-call p50, ours vs mitata\n\n${await accuracy()}\n`);
console.log(`## Time to verdict\n\n${await timeToVerdict()}\n`);
console.log(`## Memory\n\n${await memory()}\n`);
console.log(`## Fidelity: inside Jest, through the fidelity paths, and in plain Node\n\n${await fidelityTable()}\n`);

// The reporter's own benchmark lives beside this file; run it in its own process.
const reporterBench = path.join(here, 'reporter.mjs');
if (fs.existsSync(reporterBench)) {
  console.log('## The reporter and the setup file\n');
  const r = spawnSync(process.execPath, [reporterBench], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
}
