/**
 * The built entries (dist/, `npx tsup` first): setup loads nothing of the engine until a
 * matcher runs, and setup, the matchers entry and the main entry share one copy of the engine
 * and its module state. Each check runs in a fresh Node process with the real `expect` as the
 * global, so the module cache shows exactly what each step loaded.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const DIST = path.resolve(__dirname, '../../dist');
const CHILD_TIMEOUT_MS = 60_000;

function node(script: string, env: Record<string, string> = {}): unknown {
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, ...env, RT_SLO_RUN_DIR: env.RT_SLO_RUN_DIR ?? '' }, timeout: CHILD_TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`child failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Our files in the module cache, relative to dist/. */
const LOADED = `() => Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(DIST + path.sep)})).map((f) => f.slice(${DIST.length + 1})).sort()`;

beforeAll(() => {
  if (!fs.existsSync(path.join(DIST, 'setup.js'))) throw new Error('dist/ is missing: run `npx tsup` first');
});

test('setup registers every matcher and loads no engine; the first matcher call loads it', () => {
  const out = node(`
    const loaded = ${LOADED};
    const { expect } = require('expect');
    globalThis.expect = expect;
    // As inside Jest's VM sandbox, where the main context's global is not the test file's
    // (setup loads the engine at once only outside it: the next test).
    const vm = require('vm');
    const realRunInThisContext = vm.runInThisContext;
    vm.runInThisContext = () => ({});
    require(${JSON.stringify(path.join(DIST, 'setup.js'))});
    vm.runInThisContext = realRunInThisContext;
    const afterSetup = loaded();
    const registered = Object.keys(globalThis[Symbol.for('$$jest-matchers-object')].matchers);
    const exported = Object.keys(require(${JSON.stringify(path.join(DIST, 'matchers.js'))})).filter((k) => typeof require(${JSON.stringify(path.join(DIST, 'matchers.js'))})[k] === 'function');
    // Fresh cache entry for matchers.js so the next step shows what a matcher call loads.
    for (const f of Object.keys(require.cache)) if (f.startsWith(${JSON.stringify(DIST + path.sep)}) && !f.endsWith('setup.js')) delete require.cache[f];
    (async () => {
      await expect(() => 42).toRunUnder('10ms', { maxTime: '100ms', warmup: '1ms', slo: 'lazy' });
      process.stdout.write(JSON.stringify({ afterSetup, registered, exported, afterCall: loaded() }));
    })().catch((e) => { console.error(e); process.exit(1); });
  `) as { afterSetup: string[]; registered: string[]; exported: string[]; afterCall: string[] };
  expect(out.afterSetup).toEqual(['setup.js']);
  expect(out.exported.length).toBeGreaterThanOrEqual(7);
  expect(out.registered).toEqual(expect.arrayContaining(out.exported));
  expect(out.afterCall).toEqual(expect.arrayContaining(['setup.js', 'matchers.js']));
  expect(out.afterCall.some((f) => /^chunk-.+\.js$/.test(f))).toBe(true);
});

test('outside the VM sandbox (bare Node, as under jest-light-runner) setup loads the engine at once', () => {
  const out = node(`
    const loaded = ${LOADED};
    globalThis.expect = require('expect').expect;
    require(${JSON.stringify(path.join(DIST, 'setup.js'))});
    process.stdout.write(JSON.stringify(loaded()));
  `) as string[];
  expect(out).toEqual(expect.arrayContaining(['setup.js', 'matchers.js']));
});

test('setup, the matchers entry and the main entry share one engine: one sink, one record sequence', () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-entries-'));
  try {
    const out = node(
      `
      const loaded = ${LOADED};
      const { expect } = require('expect');
      globalThis.expect = expect;
      require(${JSON.stringify(path.join(DIST, 'setup.js'))});
      (async () => {
        const quick = { maxTime: '100ms', warmup: '1ms' };
        // Through setup's lazy wrapper, then straight from the matchers entry, then the main entry.
        await expect(() => 42).toRunUnder('10ms', { ...quick, slo: 'via setup' });
        expect.extend({ directToRunUnder: require(${JSON.stringify(path.join(DIST, 'matchers.js'))}).toRunUnder });
        await expect(() => 42).directToRunUnder('10ms', { ...quick, slo: 'via matchers entry' });
        const main = require(${JSON.stringify(path.join(DIST, 'index.js'))});
        const token = { token: true };
        main.doNotOptimize(token);
        // The sink the engine's loops write to lives in the one shared chunk: find it there.
        const chunks = loaded().filter((f) => f.startsWith('chunk-'));
        const sinks = chunks.map((f) => require(${JSON.stringify(DIST + path.sep)} + f).blackhole).filter(Boolean);
        process.stdout.write(JSON.stringify({ chunks, sinkSeesMainEntry: sinks.length === 1 && sinks[0].value === token }));
      })().catch((e) => { console.error(e); process.exit(1); });
    `,
      { RT_SLO_RUN_DIR: runDir },
    ) as { chunks: string[]; sinkSeesMainEntry: boolean };
    expect(out.chunks).toHaveLength(1);
    expect(out.sinkSeesMainEntry).toBe(true);
    const files = fs.readdirSync(runDir).filter((f) => f.endsWith('.jsonl'));
    expect(files).toHaveLength(1);
    const ids = fs
      .readFileSync(path.join(runDir, files[0]), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string; slo: string }).id);
    expect(ids).toHaveLength(2);
    // `<pid>-<module instance>-<seq>`: one record module, so one instance tag and seq 1, 2.
    const [a, b] = ids.map((id) => id.split('-'));
    expect(a[1]).toBe(b[1]);
    expect([a[2], b[2]]).toEqual(['1', '2']);
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
});

test('each module of the engine is built into exactly one CommonJS file', () => {
  // The files the entries load (dist/ is never cleaned between builds: stale chunks may sit beside them).
  const files = new Set<string>();
  const visit = (f: string): void => {
    if (files.has(f)) return;
    files.add(f);
    for (const m of fs.readFileSync(path.join(DIST, f), 'utf8').matchAll(/require\((['"])\.\/([^'"]+\.js)\1\)/g)) visit(m[2]);
  };
  for (const entry of ['index.js', 'matchers.js', 'setup.js']) visit(entry);
  const owners = new Map<string, Set<string>>();
  for (const f of files) {
    for (const m of fs.readFileSync(path.join(DIST, f), 'utf8').matchAll(/^\/\/ (src\/\S+\.ts)$/gm)) {
      if (!owners.has(m[1])) owners.set(m[1], new Set());
      owners.get(m[1])?.add(f);
    }
  }
  expect(owners.get('src/measure/engine.ts')?.size).toBe(1);
  expect(owners.get('src/record.ts')?.size).toBe(1);
  expect([...owners].filter(([, where]) => where.size > 1).map(([m, where]) => `${m}: ${[...where].join(', ')}`)).toEqual([]);
});

test('package.json: no export points at a file the build does not make', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(DIST, '..', 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const targets: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') targets.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(pkg.exports);
  const missing = targets.filter((t) => t.startsWith('./dist/') && !fs.existsSync(path.join(DIST, '..', t)));
  expect(missing).toEqual([]);
});
