// node bench/reporter.mjs (after `npx tsup`) — the reporter's own cost, against its goals:
//   1. end of run: collect 10,000 records from 200 record files, join them with 200 test files'
//      results, build the rows, decide, render the matrix and write report.json: goal ≤ 500 ms;
//   2. startup: require('rt-slo-reporter') (dist/index.js) in a fresh process: goal ≤ 50 ms
//      (the global-runtime benchmark plan's startup SLO, applied to us);
//   3. setupFilesAfterEnv: rt-slo-reporter/setup, per test file that measures nothing, in real
//      Jest workers (the package copied into a scratch project's node_modules): goal ≤ 3 ms.
// Prints a Markdown table of medians over several runs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist', 'index.js');
const require = createRequire(import.meta.url);
const { SloReporter } = require(dist);

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const FILES = 200;
const RECORDS = 10_000;
const PER_FILE = RECORDS / FILES;
/** SLO rows the records fall into (a big suite), and a worst case with one row per record. */
const ROWS = 200;
const COLLECT_GOAL_MS = 250;
const SETUP_GOAL_MS = 3;
const JEST = path.join(here, '..', 'node_modules', 'jest', 'bin', 'jest.js');
const REQUIRE_GOAL_MS = 50;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const ENV = { cpu: os.cpus()[0]?.model ?? 'cpu', cores: os.cpus().length, availableParallelism: os.availableParallelism(), totalMemory: os.totalmem(), node: process.version, v8: process.versions.v8, platform: process.platform, arch: process.arch, loadavg: [0, 0, 0] };

/** A record as toRunUnder writes it (same fields, a per-call summary, engine details). */
function record(file, i, rows) {
  const start = 1_700_000_000_000 + file * 1000 + i * 10;
  return {
    schema: 1,
    id: `${1000 + file}-${i + 1}`,
    testPath: `/project/tests/perf/file-${file}.test.ts`,
    testName: `suite ${file} case ${i}`,
    slo: `slo ${(file * PER_FILE + i) % rows}`,
    tier: ['must', 'should', 'nice'][i % 3],
    matcher: 'toRunUnder',
    negated: false,
    unit: 'ns',
    direction: 'lower',
    target: 10_000,
    noGo: 100_000,
    targetText: '10us',
    noGoText: '100us',
    stat: 'p50',
    estimate: 8.5 + (i % 7),
    low: 8.2 + (i % 7),
    high: 8.8 + (i % 7),
    samples: 3000,
    batch: 1000,
    noise: 0.035,
    verdict: i % 50 === 0 ? 'WARN' : 'PASS',
    inconclusive: false,
    passed: true,
    summary: { min: 8, max: 40, mean: 8.7, sd: 0.6, p50: 8.5, p75: 8.9, p99: 12.1, p999: 30.2 },
    notes: [],
    details: { async: false, baselineNs: 0.4, warmupCalls: 4096, wallMs: 3.1, rounds: 2, stoppedBy: 'decided' },
    startedAt: start,
    endedAt: start + 5,
    worker: String(1 + (file % 4)),
    pid: 1000 + file,
    env: ENV,
  };
}

function aggregated() {
  const testResults = [];
  for (let f = 0; f < FILES; f++) {
    const tests = [];
    for (let i = 0; i < PER_FILE; i++) tests.push({ fullName: `suite ${f} case ${i}`, status: 'passed', failureMessages: [] });
    testResults.push({ testFilePath: `/project/tests/perf/file-${f}.test.ts`, testResults: tests, testExecError: null, failureMessage: null });
  }
  return { numTotalTestSuites: FILES, numTotalTests: RECORDS, numPassedTests: RECORDS, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, startTime: Date.now(), wasInterrupted: false, testResults };
}

/** One end of run: records are written before the clock starts; onRunComplete is timed. */
function endOfRun(rows) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-bench-'));
  const reporter = new SloReporter({ rootDir: root, reporters: [['rt-slo-reporter', {}]] }, {});
  reporter.onRunStart();
  for (let f = 0; f < FILES; f++) {
    const lines = [];
    for (let i = 0; i < PER_FILE; i++) lines.push(JSON.stringify(record(f, i, rows)));
    fs.writeFileSync(path.join(reporter.runDir, `records-${1000 + f}-${1 + (f % 4)}.jsonl`), `${lines.join('\n')}\n`);
  }
  const results = aggregated();
  const write = process.stderr.write;
  let printed = 0;
  process.stderr.write = (chunk) => ((printed += String(chunk).length), true);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  reporter.onRunComplete(new Set(), results);
  const c1 = process.cpuUsage(c0);
  const ms = performance.now() - t0;
  const cpu = (c1.user + c1.system) / 1000;
  process.stderr.write = write;
  const report = reporter.lastReport;
  if (report.records.length !== RECORDS) throw new Error(`expected ${RECORDS} records, read ${report.records.length}`);
  const bytes = fs.statSync(path.join(root, 'slo-report', 'report.json')).size;
  fs.rmSync(root, { recursive: true, force: true });
  return { ms, cpu, bytes, printed, rows: report.rows.length };
}

/** require() of dist/index.js in a fresh node process, timed inside it; and the whole process. */
function requireOnce() {
  const code = `const c=process.cpuUsage(),t=process.hrtime.bigint();require(${JSON.stringify(dist)});const u=process.cpuUsage(c);process.stdout.write(JSON.stringify([Number(process.hrtime.bigint()-t)/1e6,(u.user+u.system)/1000]))`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(r.stderr);
  const [ms, cpu] = JSON.parse(r.stdout);
  return { require: ms, cpu, wall };
}

/**
 * One Jest run of SETUP_FILES test files that measure nothing, 2 workers; each file times its
 * setupFilesAfterEnv from a timestamp file before setup to one after it. Returns the times of
 * each worker's first file (a fresh worker) and of the others.
 */
const SETUP_FILES = 12;
function setupRun(withSetup) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-setup-bench-'));
  try {
    const pkg = path.join(dir, 'node_modules', 'rt-slo-reporter');
    fs.mkdirSync(pkg, { recursive: true });
    fs.cpSync(path.join(here, '..', 'dist'), path.join(pkg, 'dist'), { recursive: true });
    fs.copyFileSync(path.join(here, '..', 'package.json'), path.join(pkg, 'package.json'));
    const out = path.join(dir, 'times.jsonl');
    fs.writeFileSync(path.join(dir, 't0.js'), 'globalThis.__t0 = performance.now();\n');
    fs.writeFileSync(path.join(dir, 't1.js'), `require('fs').appendFileSync(${JSON.stringify(out)}, JSON.stringify({ pid: process.pid, ms: performance.now() - globalThis.__t0 }) + '\\n');\n`);
    const setup = ['<rootDir>/t0.js', ...(withSetup ? ['rt-slo-reporter/setup'] : []), '<rootDir>/t1.js'];
    // No transform: node_modules files are not transformed for users either. modulePaths: our dependencies.
    const config = { testEnvironment: 'node', transform: {}, modulePaths: [path.join(here, '..', 'node_modules')], setupFilesAfterEnv: setup };
    fs.writeFileSync(path.join(dir, 'jest.config.js'), `module.exports = ${JSON.stringify(config)};\n`);
    for (let i = 0; i < SETUP_FILES; i++) fs.writeFileSync(path.join(dir, `f${i}.test.js`), "test('measures nothing', () => { expect(1).toBe(1); });\n");
    const env = { ...process.env };
    for (const k of ['RT_SLO_RUN_DIR', 'JEST_WORKER_ID']) delete env[k];
    const r = spawnSync(process.execPath, [JEST, '--maxWorkers=2'], { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const first = [];
    const later = [];
    const seen = new Set();
    for (const { pid, ms } of fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l))) {
      if (seen.has(pid)) later.push(ms);
      else (seen.add(pid), first.push(ms));
    }
    return { first, later };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function setupCost() {
  const runs = Math.max(1, Math.ceil(RUNS / 2));
  const collectRuns = (withSetup) => {
    const all = { first: [], later: [] };
    for (let i = 0; i < runs; i++) {
      const r = setupRun(withSetup);
      all.first.push(...r.first);
      all.later.push(...r.later);
    }
    return all;
  };
  const bare = collectRuns(false);
  const with_ = collectRuns(true);
  return { first: median(with_.first) - median(bare.first), later: median(with_.later) - median(bare.later), files: with_.first.length + with_.later.length };
}

function bareNode() {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}

const fmt = (ms) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
const results = [];
for (const rows of [ROWS, RECORDS]) {
  endOfRun(rows); // warm-up: JIT and file cache
  const runs = Array.from({ length: RUNS }, () => endOfRun(rows));
  const m = median(runs.map((r) => r.ms));
  const label = `end of run: ${RECORDS.toLocaleString('en-US')} records, ${FILES} files, ${runs[0].rows.toLocaleString('en-US')} rows → matrix + report.json (${(runs[0].bytes / 1e6).toFixed(1)} MB)`;
  results.push([label, fmt(m), fmt(median(runs.map((r) => r.cpu))), rows === ROWS ? `≤ ${COLLECT_GOAL_MS} ms` : '(stress case, no goal)', rows === ROWS ? (m <= COLLECT_GOAL_MS ? 'met' : 'MISSED') : '']);
  if (rows === ROWS) results.push([`report.json per record (${runs[0].bytes.toLocaleString('en-US')} bytes / ${RECORDS.toLocaleString('en-US')})`, `${Math.round(runs[0].bytes / RECORDS)} B`, '', '', '']);
}
const req = Array.from({ length: RUNS }, requireOnce);
const bare = Array.from({ length: RUNS }, bareNode);
const reqMs = median(req.map((r) => r.require));
results.push(["require('rt-slo-reporter') in a fresh process", fmt(reqMs), fmt(median(req.map((r) => r.cpu))), `≤ ${REQUIRE_GOAL_MS} ms`, reqMs <= REQUIRE_GOAL_MS ? 'met' : 'MISSED']);
const setup = setupCost();
results.push([`setupFilesAfterEnv rt-slo-reporter/setup, per test file that measures nothing (${setup.files} files, 2 Jest workers): later files / a fresh worker's first`, `${fmt(setup.later)} / ${fmt(setup.first)}`, '', `≤ ${SETUP_GOAL_MS} ms`, Math.max(setup.later, setup.first) <= SETUP_GOAL_MS ? 'met' : 'MISSED']);
results.push(['whole process: node -e require(…) / bare node -e 0', `${fmt(median(req.map((r) => r.wall)))} / ${fmt(median(bare))}`, '', '', '']);

// Wall time is the goal; CPU time (user + system) shows what a loaded machine adds in waiting.
const head = ['what', `wall, median of ${RUNS}`, 'CPU, median', 'goal', ''];
console.log(`rt-slo-reporter ${require(path.join(here, '..', 'package.json')).version} · Node ${process.version} · ${ENV.cpu} × ${ENV.cores} · load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
console.log([`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...results.map((r) => `| ${r.join(' | ')} |`)].join('\n'));
