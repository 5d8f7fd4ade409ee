// The fidelity table of issue 13: the same four functions measured, in one run, side by side:
//   (a) inside the default Jest environment (Jest's VM sandbox), (b) through outsideSandbox()
//   in that same environment, (c) under jest-light-runner, (d) in plain Node with benchmark(),
//   (e) in plain Node with mitata's measure().
// (a)–(c) run bench/fidelity/tests/fidelity.test.js through the real Jest CLI; every path loads
// the same files under bench/fidelity/modules/, so the measured source is identical everywhere.
// Called from bench/run.mjs; runnable alone: `npx tsup && node --expose-gc bench/fidelity.mjs`.
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measure as mitataMeasure } from 'mitata';
import { benchmark, formatDuration } from '../dist/index.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, '..');
const FIXTURE = path.join(here, 'fidelity');
const JEST = path.join(REPO, 'node_modules/jest/bin/jest.js');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const WARMUP = '500ms';
const MAX_TIME = '1s';
const NAMES = ['probe', 'json', 'fde', 'lodash'];
const LABELS = {
  probe: '`() => Array.isArray(x) && Object.keys(x).length`',
  json: 'JSON.parse (1.4 kB)',
  fde: 'fast-deep-equal, 8 small nested pairs',
  lodash: 'lodash.isequal, same 8 pairs',
};
/** The issue's target: a fidelity path within 15% of plain Node; fast-deep-equal ≥ 2× faster than lodash. */
const WITHIN = 0.15;
const MIN_SPEEDUP = 2;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** node_modules/rt-slo-reporter in the fixture → the repository (it loads dist/, as an installed package does). */
function linkPackage() {
  for (const f of ['index.js', 'index.mjs', 'setup.js']) {
    if (!fs.existsSync(path.join(REPO, 'dist', f))) throw new Error(`dist/${f} is missing: run \`npx tsup\` first`);
  }
  const dir = path.join(FIXTURE, 'node_modules');
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.symlinkSync(REPO, path.join(dir, 'rt-slo-reporter'), 'dir');
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
  }
}

/** One run of the fixture test through the real Jest CLI; resolves to the figures it wrote. */
function runJest(config, reverse) {
  const out = path.join(os.tmpdir(), `rt-slo-fidelity-${process.pid}-${Date.now()}.json`);
  const env = { ...process.env, FIDELITY_OUT: out, FIDELITY_REVERSE: reverse ? '1' : '0', FIDELITY_WARMUP: WARMUP, FIDELITY_MAXTIME: MAX_TIME };
  for (const k of ['RT_SLO_RUN_DIR', 'JEST_WORKER_ID', 'NODE_OPTIONS']) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JEST, '-c', path.join(FIXTURE, config), '--runInBand', '--ci'], { cwd: FIXTURE, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || !fs.existsSync(out)) return reject(new Error(`jest -c ${config} exited ${code}:\n${text}`));
      const figures = JSON.parse(fs.readFileSync(out, 'utf8'));
      fs.rmSync(out, { force: true });
      resolve(figures);
    });
  });
}

/** (d) and (e): plain Node, this process; a fresh closure for each measurement. */
async function plainNode(reverse) {
  const make = (name) => createRequire(path.join(FIXTURE, 'modules', `${name}.js`))(`./${name}.js`).make();
  const ours = {};
  const mitata = {};
  for (const name of reverse ? [...NAMES].reverse() : NAMES) {
    const sides = [
      async () => (ours[name] = (await benchmark(make(name), { warmup: WARMUP, maxTime: MAX_TIME })).summary.p50),
      async () => (mitata[name] = (await mitataMeasure(make(name))).p50),
    ];
    for (const side of reverse ? sides.reverse() : sides) await side();
  }
  return { ours, mitata };
}

/** Runs every path REPEATS times, alternating the order, and returns the medians and the probe lines. */
async function collect() {
  const runs = { sandbox: [], outside: [], light: [], ours: [], mitata: [] };
  const penalties = [];
  const fidelities = { sandbox: [], light: [] };
  const steps = {
    default: async (rev) => {
      const f = await runJest('jest.config.js', rev);
      runs.sandbox.push(f.here);
      runs.outside.push(f.outside);
      fidelities.sandbox.push(f.fidelity);
      if (typeof f.fidelity?.penalty === 'number') penalties.push(f.fidelity.penalty);
    },
    light: async (rev) => {
      const f = await runJest('jest.light.config.js', rev);
      runs.light.push(f.here);
      fidelities.light.push(f.fidelity);
    },
    plain: async (rev) => {
      const p = await plainNode(rev);
      runs.ours.push(p.ours);
      runs.mitata.push(p.mitata);
    },
  };
  const loads = [load()];
  for (let r = 0; r < REPEATS; r++) {
    const rev = r % 2 === 1;
    const order = rev ? ['plain', 'light', 'default'] : ['default', 'light', 'plain'];
    for (const s of order) await steps[s](rev);
    loads.push(load());
  }
  const med = {};
  for (const [col, list] of Object.entries(runs)) {
    med[col] = Object.fromEntries(NAMES.map((n) => [n, median(list.map((x) => x[n]))]));
  }
  const range = {};
  for (const [col, list] of Object.entries(runs)) {
    range[col] = Object.fromEntries(NAMES.map((n) => [n, [Math.min(...list.map((x) => x[n])), Math.max(...list.map((x) => x[n]))]]));
  }
  return { med, range, penalty: penalties.length ? median(penalties) : null, fidelities, loads };
}

const COLUMNS = [
  ['sandbox', 'default Jest'],
  ['outside', 'outsideSandbox'],
  ['light', 'light runner'],
  ['ours', 'plain Node (ours)'],
  ['mitata', 'mitata'],
];
/** The fidelity paths the target is about. */
const FIDELITY_PATHS = ['outside', 'light'];

const ratio = (x) => `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;

export async function fidelityTable() {
  linkPackage();
  const { med, range, penalty, fidelities, loads } = await collect();
  const rows = NAMES.map((n) => [LABELS[n], ...COLUMNS.map(([c]) => (c === 'ours' ? formatDuration(med[c][n]) : `${formatDuration(med[c][n])} (${ratio(med[c][n] / med.ours[n])})`))]);
  const speedup = (c) => med[c].lodash / med[c].fde;
  rows.push(['**fast-deep-equal vs lodash.isEqual (speedup)**', ...COLUMNS.map(([c]) => `**${ratio(speedup(c))}**`)]);
  const main = table(['function', ...COLUMNS.map(([, h]) => h)], rows);
  // The spread behind each median: a shared machine drifts between runs, and a reader should see how much.
  const spread = table(
    ['range over the runs (min–max)', ...COLUMNS.map(([, h]) => h)],
    NAMES.map((n) => [LABELS[n], ...COLUMNS.map(([c]) => `${formatDuration(range[c][n][0])}–${formatDuration(range[c][n][1])}`)]),
  );

  // The reporter's line, in its words (src/reporter/report.ts), with this run's median probe penalty.
  const probe = fidelities.sandbox.map((f) => f?.probe).filter(Boolean);
  const line =
    penalty === null
      ? "† Measured inside Jest's VM sandbox: global lookups slower than plain Node here (see docs/fidelity.md)"
      : `† Measured inside Jest's VM sandbox: global lookups ${penalty.toFixed(1)}× slower than plain Node here (see docs/fidelity.md)`;
  const probeDetail = probe.length
    ? `probe p50 ${probe.map((p) => `${formatDuration(p.sandboxNs)} / ${formatDuration(p.mainNs)} = ${p.penalty}×`).join(', ')} (sandbox / main context, one per default-Jest run, ${probe.map((p) => `${p.ms.toFixed(0)}`).join('/')} ms each)`
    : 'no probe result';
  const lightContexts = [...new Set(fidelities.light.map((f) => f?.context))].join(', ');
  const observed = med.sandbox.probe / med.ours.probe;

  // The target, cell by cell.
  const checks = [];
  for (const c of FIDELITY_PATHS) {
    const head = COLUMNS.find(([k]) => k === c)[1];
    for (const n of NAMES) {
      const dev = med[c][n] / med.ours[n] - 1;
      checks.push([`${head}: ${LABELS[n]}`, `${dev >= 0 ? '+' : ''}${(dev * 100).toFixed(1)}% vs plain Node`, Math.abs(dev) <= WITHIN ? 'met' : '**not met**']);
    }
  }
  for (const [c, head] of COLUMNS) {
    const s = speedup(c);
    const verdict = s >= MIN_SPEEDUP ? 'met' : '**not met**';
    checks.push([`${head}: fast-deep-equal faster than lodash.isEqual by ≥ ${MIN_SPEEDUP}×`, ratio(s), c === 'sandbox' ? `${verdict} (the default environment: not a fidelity path, shown for the distortion)` : verdict]);
  }
  const met = checks.filter((r) => r[0].startsWith('default Jest') === false).every((r) => r[2] === 'met');
  const target = table(['target cell', 'measured', ''], checks);

  return [
    `Machine: ${os.cpus()[0]?.model.trim()}, nproc ${os.availableParallelism()}, Node ${process.version}, ${os.platform()}/${os.arch()}. Load average (1/5/15 min) at the start and after each repeat: ${loads.join(' → ')}.`,
    `p50 per call, medians of ${REPEATS} runs of every path (order alternated between runs); each path's ratio to plain Node (ours) in brackets. warmup ${WARMUP}, maxTime ${MAX_TIME} per function and path. Default Jest, outsideSandbox and the light runner are the same test file through the real Jest CLI (\`--runInBand\`).`,
    '',
    main,
    '',
    spread,
    '',
    `Sandbox penalty line the reporter prints for the default environment (median of the ${probe.length} probes): \`${line}\`; ${probeDetail}. The probe function itself read ${ratio(observed)} slower inside the sandbox than in plain Node in the table above. Under the light runner, \`fidelity()\` said: ${lightContexts || 'nothing'}.`,
    '',
    `**Target** (issue 13): every fidelity-path figure within ${WITHIN * 100}% of plain Node, and fast-deep-equal faster than lodash.isEqual by ≥ ${MIN_SPEEDUP}× as in plain Node.`,
    '',
    target,
    '',
    `Target over the fidelity paths: **${met ? 'met' : 'not met'}**.`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  console.log(`## Fidelity: inside Jest, through the fidelity paths, and in plain Node\n\n${await fidelityTable()}\n`);
}
