/**
 * Reliability: malformed input and broken runs, table-driven, through the real Jest CLI.
 *
 * - Matcher arguments: ~120 cases in ONE Jest run (tests/fixtures/reliability/args: a test.each
 *   over cases.js that writes each thrown first line to a file), checked here one row each.
 * - Reporter configuration and run behaviour: one Jest CLI run per case (their behaviour is the
 *   reporter's constructor or its matrix), run a few at a time, each in its own folder so each
 *   has its own slo-report/ with a stale report.json planted first.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SloReport } from '../../src/reporter/report';

const REPO = path.resolve(__dirname, '../..');
const JEST = path.join(REPO, 'node_modules/jest/bin/jest.js');
const FIXTURES = path.join(REPO, 'tests/fixtures/reliability');
const PROJECT = path.join(FIXTURES, 'project');
const WORK = path.join(FIXTURES, '.tmp');
const INHERITED = ['RT_SLO_RUN_DIR', 'JEST_WORKER_ID', 'CI', 'FORCE_COLOR', 'NO_COLOR', 'GITHUB_ACTIONS'];
/** Jest runs at once: two cores shared with other work. */
const POOL = 3;
const STALE = '{"stale": "a report.json from an earlier run"}\n';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
  ms: number;
  pid?: number;
  /** The case's folder (Jest's rootDir). */
  dir: string;
}

function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of INHERITED) delete env[k];
  return Object.assign(env, extra);
}

/** Runs Jest on the shared fixture project with its rootDir in `dir`. `onSpawn` may signal it. */
function runJest(dir: string, args: string[], env: Record<string, string>, onSpawn?: (pid: number) => void): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JEST, '--config', path.join(PROJECT, 'jest.config.js'), ...args], {
      cwd: dir,
      env: cleanEnv({ RT_ROOT: dir, ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    if (onSpawn && child.pid) onSpawn(child.pid);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started, pid: child.pid, dir }));
  });
}

async function pool<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `<matcher>: <subject> must be …; received <value>`: names the argument and echoes the value. */
function mustBe(matcher: string, subject: string, received: string): RegExp {
  return new RegExp(`^${escape(matcher)}: ${escape(subject)} must be .+; received ${escape(received)}$`);
}

function exact(line: string): RegExp {
  return new RegExp(`^${escape(line)}$`);
}

// ─── Matcher arguments ──────────────────────────────────────────────────────────────────────

/** id (as in tests/fixtures/reliability/args/cases.js) → the first line it must throw. */
const ARG_CASES: Array<[string, RegExp]> = [
  ['toRunUnder received number', mustBe('toRunUnder', 'received value', '42')],
  ['toRunUnder received string', mustBe('toRunUnder', 'received value', '"fn"')],
  ['toRunUnder received null', mustBe('toRunUnder', 'received value', 'null')],
  ['toRunUnder received promise', /^toRunUnder: received value must be a function; received /],
  ...(
    [
      ['-5ms', '"-5ms"'],
      ['NaN ms', '"NaN ms"'],
      ['Infinity', 'Infinity'],
      ['empty', '""'],
      ['null', 'null'],
      ['undefined', 'undefined'],
      ['two spaces', '"1  ms"'],
      ['10xs', '"10xs"'],
      ['banana', '"banana"'],
      ['-1', '-1'],
      ['NaN', 'NaN'],
      ['size', '"10MB"'],
      ['leading space', '" 1ms"'],
      ['object', '{"ms":1}'],
    ] as const
  ).map(([id, shown]): [string, RegExp] => [`toRunUnder target ${id}`, mustBe('toRunUnder', 'target', shown)]),
  ['toRunUnder options string', mustBe('toRunUnder', 'options', '"fast"')],
  ['toRunUnder options array', mustBe('toRunUnder', 'options', '[]')],
  ['toRunUnder options null', mustBe('toRunUnder', 'options', 'null')],
  ['toRunUnder unknown option', /^toRunUnder: unknown option "foo"; accepted options: .*\bmaxTime\b/],
  ['toRunUnder typo tim', /^toRunUnder: unknown option "tim"; accepted options: /],
  ['toRunUnder stat p42', mustBe('toRunUnder', 'option stat', '"p42"')],
  ['toRunUnder stat number', mustBe('toRunUnder', 'option stat', '50')],
  ['toRunUnder tier critical', exact(`toRunUnder: option tier must be one of 'must', 'should', 'nice'; received "critical"`)],
  ['toRunUnder tier empty', mustBe('toRunUnder', 'option tier', '""')],
  ['toRunUnder tier uppercase', mustBe('toRunUnder', 'option tier', '"MUST"')],
  ['toRunUnder slo empty', mustBe('toRunUnder', 'option slo', '""')],
  ['toRunUnder slo number', mustBe('toRunUnder', 'option slo', '5')],
  ['toRunUnder noGo below target', /^toRunUnder: noGo \(5us\) must be at least the target \(10us\)/],
  ['toRunUnder noGo banana', mustBe('toRunUnder', 'option noGo', '"banana"')],
  ['toRunUnder noGo negative', mustBe('toRunUnder', 'option noGo', '-5')],
  ['toRunUnder minSamples 0', mustBe('toRunUnder', 'option minSamples', '0')],
  ['toRunUnder minSamples 1.5', mustBe('toRunUnder', 'option minSamples', '1.5')],
  ['toRunUnder minSamples -3', mustBe('toRunUnder', 'option minSamples', '-3')],
  ['toRunUnder minSamples string', mustBe('toRunUnder', 'option minSamples', '"30"')],
  ['toRunUnder maxTime -5ms', mustBe('toRunUnder', 'option maxTime', '"-5ms"')],
  ['toRunUnder maxTime NaN ms', mustBe('toRunUnder', 'option maxTime', '"NaN ms"')],
  ['toRunUnder maxTime Infinity', mustBe('toRunUnder', 'option maxTime', 'Infinity')],
  ['toRunUnder warmup banana', mustBe('toRunUnder', 'option warmup', '"banana"')],
  ['toRunUnder not with noGo', /^toRunUnder: option noGo has no meaning with \.not\.toRunUnder/],
  ['toRunUnder declared tier conflict', /^toRunUnder: tier 'should' conflicts with the declaration of SLO "decl-tier" in the reporter's slos option \(tier 'must'\)/],
  ['toRunUnder declared target conflict', /^toRunUnder: target "20us" conflicts with the declaration of SLO "decl-target" .*\(target "10us"\)/],
  ['toRunUnder declared noGo conflict', /^toRunUnder: noGo "100us" conflicts with the declaration of SLO "decl-nogo" .*\(noGo "50us"\)/],
  // Before checkDeclarationUnit is wired into the matchers, the parser's message (no matcher name).
  ['toRunUnder declared size target', /^toRunUnder: SLO "decl-size".*"10MB"/],
  ['toBeFasterThan received number', mustBe('toBeFasterThan', 'received value', '42')],
  ['toBeFasterThan other string', mustBe('toBeFasterThan', 'other', '"g"')],
  ['toBeFasterThan other undefined', mustBe('toBeFasterThan', 'other', 'undefined')],
  ['toBeFasterThan by 0', mustBe('toBeFasterThan', 'option by', '0')],
  ['toBeFasterThan by -2', mustBe('toBeFasterThan', 'option by', '-2')],
  ['toBeFasterThan by NaN', mustBe('toBeFasterThan', 'option by', 'NaN')],
  ['toBeFasterThan by Infinity', mustBe('toBeFasterThan', 'option by', 'Infinity')],
  ['toBeFasterThan by banana', mustBe('toBeFasterThan', 'option by', '"banana"')],
  ['toBeFasterThan noGo above by', /^toBeFasterThan: noGo \(5x\) must be at most by \(2x\)/],
  ['toBeFasterThan stat bogus', mustBe('toBeFasterThan', 'option stat', '"bogus"')],
  ['toBeFasterThan unknown option', /^toBeFasterThan: unknown option "foo"; accepted options: .*\bby\b/],
  ['toBeFasterThan minSamples 0', mustBe('toBeFasterThan', 'option minSamples', '0')],
  ['toBeFasterThan maxTime empty', mustBe('toBeFasterThan', 'option maxTime', '""')],
  ['toBeFasterThan tier bad', mustBe('toBeFasterThan', 'option tier', '"high"')],
  ['toBeFasterThan not with noGo', /^toBeFasterThan: option noGo has no meaning with \.not\.toBeFasterThan/],
  ['toBeFasterThan declared factor conflict', /^toBeFasterThan: target "10x" conflicts with the declaration of SLO "decl-factor" .*\(target "1000x"\)/],
  ['toHaveOverheadUnder received number', mustBe('toHaveOverheadUnder', 'received value', '42')],
  ['toHaveOverheadUnder baseline null', mustBe('toHaveOverheadUnder', 'baseline', 'null')],
  ['toHaveOverheadUnder limit bare number', mustBe('toHaveOverheadUnder', 'limit', '5')],
  ['toHaveOverheadUnder limit unitless string', mustBe('toHaveOverheadUnder', 'limit', '"5"')],
  ['toHaveOverheadUnder limit banana', mustBe('toHaveOverheadUnder', 'limit', '"banana"')],
  ['toHaveOverheadUnder limit -1%', mustBe('toHaveOverheadUnder', 'limit', '"-1%"')],
  ['toHaveOverheadUnder limit missing', mustBe('toHaveOverheadUnder', 'limit', 'undefined')],
  ['toHaveOverheadUnder noGo below limit', /^toHaveOverheadUnder: noGo \(0\.5%\) must be at least the limit \(1%\)/],
  ['toHaveOverheadUnder noGo other kind', mustBe('toHaveOverheadUnder', 'option noGo', '"5ns"')],
  ['toHaveOverheadUnder stat bogus', mustBe('toHaveOverheadUnder', 'option stat', '"bogus"')],
  ['toHaveOverheadUnder unknown option', /^toHaveOverheadUnder: unknown option "foo"; accepted options: /],
  ['toHaveOverheadUnder not with noGo', /^toHaveOverheadUnder: option noGo has no meaning with \.not\.toHaveOverheadUnder/],
  ['toScaleLinearly received number', mustBe('toScaleLinearly', 'received value', '42')],
  ['toScaleLinearly threads 1', mustBe('toScaleLinearly', 'threads', '1')],
  ['toScaleLinearly threads 0', mustBe('toScaleLinearly', 'threads', '0')],
  ['toScaleLinearly threads 2.5', mustBe('toScaleLinearly', 'threads', '2.5')],
  ['toScaleLinearly threads [1]', /^toScaleLinearly: threads must be .+; \[1\] has no level above the reference 1$/],
  ['toScaleLinearly threads repeated', /^toScaleLinearly: threads must be .+; \[2,2\] repeats a level$/],
  ['toScaleLinearly threads string', mustBe('toScaleLinearly', 'threads', '"four"')],
  ['toScaleLinearly threads level 0', /^toScaleLinearly: threads must be .+; level 0 in \[0,2\] is not a positive integer$/],
  ['toScaleLinearly efficiency 0', mustBe('toScaleLinearly', 'option efficiency', '0')],
  ['toScaleLinearly efficiency 1.5', mustBe('toScaleLinearly', 'option efficiency', '1.5')],
  ['toScaleLinearly efficiency banana', mustBe('toScaleLinearly', 'option efficiency', '"banana"')],
  ['toScaleLinearly noGo above efficiency', /^toScaleLinearly: noGo \(0\.9\) must be at most the efficiency \(0\.5\)/],
  ['toScaleLinearly minRounds 1', mustBe('toScaleLinearly', 'option minRounds', '1')],
  ['toScaleLinearly window negative', mustBe('toScaleLinearly', 'option window', '"-1ms"')],
  ['toScaleLinearly unknown option', /^toScaleLinearly: unknown option "foo"; accepted options: .*\befficiency\b/],
  ['toScaleLinearly adjustForLoad string', mustBe('toScaleLinearly', 'option adjustForLoad', '"yes"')],
  ['toScaleLinearly threads task bad level', /^toScaleLinearly: threads must be .+; level -2 in \[1,-2\] is not a positive integer$/],
  ['toUseMemoryUnder received string', mustBe('toUseMemoryUnder', 'received value', '"x"')],
  ['toUseMemoryUnder limit banana', mustBe('toUseMemoryUnder', 'limit', '"banana"')],
  ['toUseMemoryUnder limit -1', mustBe('toUseMemoryUnder', 'limit', '-1')],
  ['toUseMemoryUnder limit unknown unit', mustBe('toUseMemoryUnder', 'limit', '"10XB"')],
  ['toUseMemoryUnder limit duration', mustBe('toUseMemoryUnder', 'limit', '"10ms"')],
  ['toUseMemoryUnder limit two spaces', mustBe('toUseMemoryUnder', 'limit', '"10  MB"')],
  ['toUseMemoryUnder measure max', mustBe('toUseMemoryUnder', 'option measure', '"max"')],
  ['toUseMemoryUnder runs 0', mustBe('toUseMemoryUnder', 'option runs', '0')],
  ['toUseMemoryUnder calls -1', mustBe('toUseMemoryUnder', 'option calls', '-1')],
  ['toUseMemoryUnder noGo below limit', /^toUseMemoryUnder: noGo \(1MB\) must be at least the limit \(10MB\)/],
  ['toUseMemoryUnder probe string', mustBe('toUseMemoryUnder', 'option probe', '"heap"')],
  ['toUseMemoryUnder probe with peak', /^toUseMemoryUnder: option probe reads held memory only: it cannot observe a peak/],
  ['toUseMemoryUnder not with noGo', /^toUseMemoryUnder: option noGo has no meaning with \.not\.toUseMemoryUnder/],
  ['toUseMemoryUnder unknown option', /^toUseMemoryUnder: unknown option "foo"; accepted options: .*\bmeasure\b/],
  ['toLeakMemory received number', mustBe('toLeakMemory', 'received value', '42')],
  ['toLeakMemory threshold banana', mustBe('toLeakMemory', 'option threshold', '"banana"')],
  ['toLeakMemory threshold -1', mustBe('toLeakMemory', 'option threshold', '-1')],
  ['toLeakMemory rounds 1', mustBe('toLeakMemory', 'option rounds', '1')],
  ['toLeakMemory calls 0', mustBe('toLeakMemory', 'option calls', '0')],
  ['toLeakMemory options string', mustBe('toLeakMemory', 'options', '"fast"')],
  ['toLeakMemory unknown option', /^toLeakMemory: unknown option "foo"; accepted options: .*\bthreshold\b/],
  ['toStartUnder received function', mustBe('toStartUnder', 'received value', '[Function f]')],
  ['toStartUnder received number', mustBe('toStartUnder', 'received value', '42')],
  ['toStartUnder limit banana', mustBe('toStartUnder', 'limit', '"banana"')],
  ['toStartUnder limit negative', mustBe('toStartUnder', 'limit', '-1')],
  ['toStartUnder noGo below limit', /^toStartUnder: noGo \(10ms\) must be at least the limit \(100ms\)/],
  ['toStartUnder runs 0', mustBe('toStartUnder', 'option runs', '0')],
  ['toStartUnder runs too many', mustBe('toStartUnder', 'option runs', '100000')],
  ['toStartUnder isolate vm', mustBe('toStartUnder', 'option isolate', '"vm"')],
  ['toStartUnder unknown option', /^toStartUnder: unknown option "foo"; accepted options: .*\bisolate\b/],
  ['toStartUnder not with noGo', /^toStartUnder: option noGo has no meaning with \.not\.toStartUnder/],
];

describe('malformed matcher arguments: one Jest run, each case throws a first line naming the argument and the value', () => {
  let results: Record<string, { threw: boolean; name?: string; first?: string }> = {};
  let caseIds: string[] = [];

  beforeAll(async () => {
    const dir = path.join(WORK, 'args');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const out = path.join(dir, 'results.json');
    const run = await new Promise<Run>((resolve, reject) => {
      const started = Date.now();
      const child = spawn(process.execPath, [JEST, '--runInBand'], {
        cwd: path.join(FIXTURES, 'args'),
        env: cleanEnv({ RT_ARGS_OUT: out, RT_ARGS_REPORT_DIR: path.join(dir, 'slo-report') }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout: '', stderr, ms: Date.now() - started, dir }));
    });
    if (!fs.existsSync(out)) throw new Error(`the args fixture wrote no results (exit ${run.code}):\n${run.stderr.slice(-3000)}`);
    results = JSON.parse(fs.readFileSync(out, 'utf8'));
    caseIds = Object.keys(results);
  }, 120_000);

  test('every fixture case has an expectation here, and every expectation a case', () => {
    expect([...caseIds].sort()).toEqual(ARG_CASES.map(([id]) => id).sort());
  });

  test.each(ARG_CASES)('%s', (id, expected) => {
    const r = results[id];
    expect(r).toMatchObject({ threw: true, name: 'TypeError' });
    expect(r.first).toMatch(expected);
  });
});

// ─── Reporter configuration: refused in the constructor, before any test ─────────────────────

/** [name, reporter options, the first line of our message (the line under Jest's wrapper)] */
const REFUSED: Array<[string, unknown, RegExp]> = [
  ['unknown option', { failon: 'never' }, exact('rt-slo-reporter: unknown option "failon"; accepted options: slos, failOn, outputDir, verbose')],
  ['failOn sometimes', { failOn: 'sometimes' }, exact(`rt-slo-reporter: option failOn must be one of 'no-go', 'warnings', 'never'; received "sometimes"`)],
  ['failOn number', { failOn: 1 }, /^rt-slo-reporter: option failOn must be one of .*; received 1$/],
  ['verbose string', { verbose: 'yes' }, exact('rt-slo-reporter: option verbose must be true or false; received "yes"')],
  ['outputDir number', { outputDir: 42 }, /^rt-slo-reporter: option outputDir must be a non-empty string .*; received 42$/],
  ['outputDir empty', { outputDir: '' }, /^rt-slo-reporter: option outputDir must be a non-empty string .*; received ""$/],
  ['outputDir under /proc', { outputDir: '/proc/rt-slo-report' }, /^rt-slo-reporter: option outputDir "\/proc\/rt-slo-report" is on the pseudo file system \/proc, which cannot hold report\.json; choose a folder on a real disk/],
  ['outputDir under /sys', { outputDir: '/sys/kernel/rt-slo' }, /^rt-slo-reporter: option outputDir "\/sys\/kernel\/rt-slo" is on the pseudo file system \/sys/],
  ['outputDir under /dev', { outputDir: '/dev/rt-slo' }, /^rt-slo-reporter: option outputDir "\/dev\/rt-slo" is on the pseudo file system \/dev/],
  ['outputDir through a file', { outputDir: 'blocker/reports' }, /^rt-slo-reporter: option outputDir: cannot write report\.json into ".*blocker\/reports" \(ENOTDIR.*\); choose a writable folder$/],
  ['options an array', [], exact('rt-slo-reporter: options must be an object; received []')],
  ['slos an array', { slos: [] }, /^rt-slo-reporter: option slos must be an object mapping SLO names to \{ tier, target\?, noGo\?, description\? \}; received \[\]$/],
  ['slos entry a string', { slos: { x: 'must' } }, exact('rt-slo-reporter: option slos["x"] must be an object { tier, target?, noGo?, description? }; received "must"')],
  ['slos empty name', { slos: { '': { tier: 'must' } } }, exact('rt-slo-reporter: option slos: an SLO name must be a non-empty string; received ""')],
  ['tier critical', { slos: { x: { tier: 'critical' } } }, exact(`rt-slo-reporter: option slos["x"].tier must be one of 'must', 'should', 'nice'; received "critical"`)],
  ['tier missing', { slos: { x: {} } }, /^rt-slo-reporter: option slos\["x"\]\.tier must be one of .*; received undefined$/],
  ['unknown declaration key', { slos: { x: { tier: 'must', limit: '1ms' } } }, exact('rt-slo-reporter: option slos["x"]: unknown key "limit"; accepted keys: tier, target, noGo, description')],
  ['target 10xs', { slos: { x: { tier: 'must', target: '10xs' } } }, /^rt-slo-reporter: option slos\["x"\]\.target must be a non-negative number, or a string with its unit: .*; received "10xs"$/],
  ['target banana', { slos: { x: { tier: 'must', target: 'banana' } } }, /^rt-slo-reporter: option slos\["x"\]\.target must be .*; received "banana"$/],
  ['target empty', { slos: { x: { tier: 'must', target: '' } } }, /^rt-slo-reporter: option slos\["x"\]\.target must be .*; received ""$/],
  ['target boolean', { slos: { x: { tier: 'must', target: true } } }, /^rt-slo-reporter: option slos\["x"\]\.target must be .*; received true$/],
  ['target unitless string', { slos: { x: { tier: 'must', target: '1000' } } }, /^rt-slo-reporter: option slos\["x"\]\.target must be .*; received "1000"$/],
  ['noGo -5', { slos: { x: { tier: 'must', target: '10us', noGo: -5 } } }, /^rt-slo-reporter: option slos\["x"\]\.noGo must be .*; received -5$/],
  ['noGo -5%', { slos: { x: { tier: 'must', noGo: '-5%' } } }, /^rt-slo-reporter: option slos\["x"\]\.noGo must be .*; received "-5%"$/],
  ['noGo below target', { slos: { x: { tier: 'must', target: '10us', noGo: '5us' } } }, /^rt-slo-reporter: option slos\["x"\]\.noGo \("5us"\) must be at least the target \("10us"\)/],
  ['noGo above a factor target', { slos: { x: { tier: 'must', target: '1000x', noGo: '2000x' } } }, /^rt-slo-reporter: option slos\["x"\]\.noGo \("2000x"\) must be at most the target \("1000x"\)/],
  ['noGo a size beside a duration', { slos: { x: { tier: 'must', target: '10us', noGo: '10MB' } } }, exact(`rt-slo-reporter: option slos["x"]: target "10us" is a duration but noGo "10MB" is a size; a row's target and NO-GO limit are in one unit`)],
  ['noGo a percentage beside a factor', { slos: { x: { tier: 'must', target: '10x', noGo: '5%' } } }, /^rt-slo-reporter: option slos\["x"\]: target "10x" is a factor but noGo "5%" is a percentage/],
  ['description number', { slos: { x: { tier: 'must', description: 3 } } }, exact('rt-slo-reporter: option slos["x"].description must be a string; received 3')],
];

/**
 * Plants a stale report where the case's options put report.json (the default folder when
 * outputDir is not a string); none when the case refuses the folder itself.
 */
function plantStale(dir: string, options: unknown): string | undefined {
  const o = options as { outputDir?: unknown } | null;
  const given = o && typeof o === 'object' && typeof o.outputDir === 'string' && o.outputDir.length > 0 ? o.outputDir : undefined;
  if (given !== undefined && (path.isAbsolute(given) || given.startsWith('blocker'))) return undefined;
  const file = path.join(dir, given ?? 'slo-report', 'report.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, STALE);
  return file;
}

/** The line right under Jest's "An error occurred while adding the reporter" wrapper. */
function lineUnderWrapper(stderr: string): string | undefined {
  const lines = stderr.split('\n');
  const i = lines.findIndex((l) => l.includes('An error occurred while adding the reporter at path'));
  return i < 0 ? undefined : lines[i + 1];
}

// ─── Runs: how the reporter handles what tests do ────────────────────────────────────────────

interface Behaviour {
  name: string;
  tests: string[];
  options?: unknown;
  args?: string[];
  env?: Record<string, string>;
  before?: (dir: string) => void;
  check: (run: Run, report: SloReport | undefined) => void;
}

function matrix(run: Run): string {
  const at = run.stderr.indexOf('SLO decision matrix');
  return at < 0 ? '' : run.stderr.slice(at);
}

function readReport(dir: string): SloReport | undefined {
  const file = path.join(dir, 'slo-report', 'report.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as SloReport) : undefined;
}

/** A process id that is certainly dead: a child that has exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve(child.pid as number));
  });
}

let deadRunDir = '';
let liveRunDir = '';

const BEHAVIOURS: Behaviour[] = [
  {
    name: 'a valid run is GO, its report not flagged as instrumented, and the stale report replaced',
    tests: ['ok.test.js'],
    check: (run, report) => {
      expect(run.code).toBe(0);
      expect(matrix(run)).toMatch(/^Decision: GO — MUST 1\/1 pass; SHOULD 0\/0; NICE 0\/0$/m);
      expect(matrix(run)).not.toMatch(/Coverage was on/);
      expect(report).toMatchObject({ schemaVersion: 2, decision: { verdict: 'GO' }, run: { instrumented: false } });
    },
  },
  {
    name: '--coverage: one line under the matrix and a flag in report.json',
    tests: ['ok.test.js'],
    args: ['--coverage', '--coverageReporters=text-summary'],
    check: (run, report) => {
      expect(matrix(run)).toMatch(/^Coverage was on: figures measured on instrumented code, slower than real\.$/m);
      expect(report?.run.instrumented).toBe(true);
    },
  },
  {
    name: 'an ERROR record on a MUST row: the row shows ERROR with the error, the run is NO-GO',
    tests: ['throws.test.js'],
    check: (run, report) => {
      expect(run.code).toBe(1);
      const row = report?.rows.find((r) => r.slo === 'throws');
      expect(row).toMatchObject({ verdict: 'ERROR', tier: 'must', measured: null });
      expect(row?.notes[0]).toMatch(/^measurement failed in throws\.test\.js › throws: boom: the function under test threw$/);
      expect(matrix(run)).toMatch(/^MUST +throws .*ERROR$/m);
      expect(matrix(run)).toMatch(/^Decision: NO-GO — MUST 1\/2 pass, 1 error; SHOULD 0\/0; NICE 0\/0$/m);
      expect(report?.decision.reasons).toContain('MUST row "throws" could not be measured (ERROR)');
    },
  },
  {
    name: 'a measured function that never settles: an ERROR row naming the call, NO-GO, within 5 s of the call',
    tests: ['hang.test.js'],
    check: (run, report) => {
      expect(run.code).toBe(1);
      expect(report?.decision.verdict).toBe('NO-GO');
      const row = report?.rows.find((r) => r.slo === 'hang');
      expect(row?.verdict).toBe('ERROR');
      expect(row?.notes.join('\n')).toMatch(/did not settle within 1s \(timeout\)/);
      expect(report?.decision.reasons).toContain('MUST row "hang" could not be measured (ERROR)');
      const record = report?.records.find((r) => r.slo === 'hang');
      expect(record).toBeDefined();
      // The call's bound (max(1 s, maxTime + warmup)), not Jest's 5 s test timeout, ended it.
      expect(record!.endedAt - record!.startedAt).toBeLessThan(5_000);
      expect(run.ms).toBeLessThan(30_000);
    },
  },
  {
    name: 'a test stuck before it records, in a file that measures: NO-GO through Jest\'s timeout, never a clean GO',
    tests: ['lost.test.js'],
    env: { RT_TEST_TIMEOUT: '1500' },
    check: (run, report) => {
      expect(run.code).toBe(1);
      expect(report?.decision.verdict).toBe('NO-GO');
      expect(report?.decision.reasons).toContain('1 SLO test timed out before recording (lost.test.js › stuck before measuring): a measurement may be lost');
      // The matrix wraps the reason at its width: its start stays on one line.
      expect(matrix(run)).toMatch(/^ {2}- 1 SLO test timed out before recording \(lost\.test\.js/m);
    },
  },
  {
    name: 'a test that failed before recording, in a file that measures SLOs: NO-GO with the reason',
    tests: ['failing.test.js'],
    check: (run, report) => {
      expect(run.code).toBe(1);
      expect(report?.rows.map((r) => [r.slo, r.verdict])).toEqual([['ok', 'PASS']]);
      expect(report?.decision).toMatchObject({ verdict: 'NO-GO', failsRun: true });
      expect(report?.decision.reasons).toEqual(['1 SLO test failed before recording (failing.test.js › fails before measuring): a measurement may be lost']);
      expect(report?.run.unrecorded).toEqual([expect.objectContaining({ testName: 'fails before measuring', timedOut: false, reason: 'Error: fixture setup failed' })]);
    },
  },
  {
    name: 'one slo measured in ns and in bytes: a configuration error, the row shows both records, never merged',
    tests: ['mixed.test.js'],
    check: (run, report) => {
      expect(run.code).toBe(1);
      const row = report?.rows.find((r) => r.slo === 'x');
      expect(row?.verdict).toBe('ERROR');
      expect(row?.records).toHaveLength(2);
      expect(row?.notes[0]).toBe('SLO "x" is measured by toRunUnder (ns) in mixed.test.js › time of x and toUseMemoryUnder (bytes) in mixed.test.js › memory of x: one row compares one quantity, so these are not merged; give each measurement its own slo name');
      expect(row?.notes.slice(1).map((n) => n.split(' ')[0])).toEqual(['toRunUnder', 'toUseMemoryUnder']);
      expect(report?.problems.configErrors).toHaveLength(1);
      expect(matrix(run)).toMatch(/^Configuration errors \(they fail the run\):$/m);
    },
  },
  {
    name: 'a size declared for a row toRunUnder measures: the test fails naming the declaration, the row is MISSING',
    tests: ['sized.test.js'],
    options: { slos: { sized: { tier: 'must', target: '10MB' } } },
    check: (run, report) => {
      expect(run.code).toBe(1);
      const row = report?.rows.find((r) => r.slo === 'sized');
      expect(row?.verdict).toBe('MISSING');
      expect(row?.notes[0]).toMatch(/^its test failed before measuring: .*SLO "sized"/);
      expect(run.stderr).toMatch(/SLO "sized".*"10MB"/);
    },
  },
  {
    name: 'a declaration nobody measures, with valid values of every unit: accepted, MISSING rows',
    tests: ['ok.test.js'],
    options: { slos: { ok: { tier: 'must', target: '1ms' }, a: { tier: 'should', target: '10MB', noGo: '12MB' }, b: { tier: 'nice', target: '1000x', noGo: 100 }, c: { tier: 'nice', target: '75%', noGo: 0.5 } } },
    check: (run, report) => {
      expect(run.code).toBe(0);
      expect(report?.rows.map((r) => [r.slo, r.verdict])).toEqual([
        ['ok', 'PASS'],
        ['a', 'MISSING'],
        ['b', 'MISSING'],
        ['c', 'MISSING'],
      ]);
      expect(report?.decision.verdict).toBe('GO');
    },
  },
  {
    name: 'the run dies in band (process.exit): no old report.json is left looking current',
    tests: ['exits.test.js'],
    args: ['--runInBand'],
    check: (run, report) => {
      expect(run.code).not.toBe(0);
      expect(report).toBeUndefined();
    },
  },
  {
    name: 'a dead run\'s folder is removed at the next start; a live one stays',
    tests: ['ok.test.js'],
    check: (run) => {
      expect(run.code).toBe(0);
      expect(fs.existsSync(deadRunDir)).toBe(false);
      expect(fs.existsSync(liveRunDir)).toBe(true);
    },
  },
];

describe('reporter configuration and runs: one Jest CLI run per case', () => {
  const refused = new Map<string, { run: Run; stale: string | undefined }>();
  const behaved = new Map<string, { run: Run; report: SloReport | undefined }>();

  beforeAll(async () => {
    fs.rmSync(path.join(WORK, 'cases'), { recursive: true, force: true });
    const dead = await deadPid();
    deadRunDir = fs.mkdtempSync(path.join(os.tmpdir(), `rt-slo-${dead}-`));
    fs.writeFileSync(path.join(deadRunDir, 'records-1-1.jsonl'), '');
    liveRunDir = fs.mkdtempSync(path.join(os.tmpdir(), `rt-slo-${process.pid}-`));
    type Job = { kind: 'refused'; c: (typeof REFUSED)[number] } | { kind: 'behaviour'; b: Behaviour };
    const jobs: Job[] = [...REFUSED.map((c): Job => ({ kind: 'refused', c })), ...BEHAVIOURS.map((b): Job => ({ kind: 'behaviour', b }))];
    await pool(jobs, POOL, async (job) => {
      const name = job.kind === 'refused' ? job.c[0] : job.b.name;
      const dir = path.join(WORK, 'cases', slug(name));
      fs.mkdirSync(dir, { recursive: true });
      if (job.kind === 'refused') {
        const [, options] = job.c;
        fs.writeFileSync(path.join(dir, 'blocker'), '');
        const stale = plantStale(dir, options);
        const run = await runJest(dir, ['ok.test.js'], { RT_SLO_OPTIONS: JSON.stringify(options) });
        refused.set(name, { run, stale });
      } else {
        const b = job.b;
        plantStale(dir, b.options ?? {});
        b.before?.(dir);
        // Test paths first: an array option such as --coverageReporters would swallow them.
        const run = await runJest(dir, [...b.tests, ...(b.args ?? [])], { RT_SLO_OPTIONS: JSON.stringify(b.options ?? {}), ...(b.env ?? {}) });
        behaved.set(name, { run, report: readReport(dir) });
      }
    });
  }, 240_000);

  afterAll(() => {
    fs.rmSync(liveRunDir, { recursive: true, force: true });
  });

  test.each(REFUSED)('refused: %s', (name) => {
    const { run, stale } = refused.get(name) ?? ({} as never);
    const [, , message] = REFUSED.find((c) => c[0] === name) ?? [];
    expect(run.code).toBe(1);
    // The first line of our message stands alone under Jest's wrapper.
    expect(lineUnderWrapper(run.stderr)).toMatch(message as RegExp);
    // Refused before any test ran, and no old report left looking current.
    expect(run.stderr).not.toMatch(/Tests:/);
    if (stale) expect(fs.existsSync(stale)).toBe(false);
    // Quick: never the /proc hang.
    expect(run.ms).toBeLessThan(30_000);
  });

  test.each(BEHAVIOURS.map((b) => [b.name, b] as const))('%s', (name, b) => {
    const got = behaved.get(name);
    if (!got) throw new Error(`case ${name} did not run`);
    try {
      b.check(got.run, got.report);
    } catch (e) {
      (e as Error).message += `\n\n--- stderr of the Jest run ---\n${got.run.stderr.slice(-4000)}`;
      throw e;
    }
  });
});

describe('signals', () => {
  test(
    'SIGINT in a non-watch run: the run folder is removed and Jest still ends by the signal',
    async () => {
      const dir = path.join(WORK, 'cases', 'sigint');
      fs.mkdirSync(dir, { recursive: true });
      let runDir: string | undefined;
      const run = await runJest(dir, ['slow.test.js'], {}, (pid) => {
        const poll = setInterval(() => {
          const found = fs.readdirSync(os.tmpdir()).find((n) => n.startsWith(`rt-slo-${pid}-`));
          // Wait until the test is running (its worker started): well past the reporter's constructor.
          if (found && !runDir) {
            runDir = path.join(os.tmpdir(), found);
            setTimeout(() => process.kill(pid, 'SIGINT'), 1500);
            clearInterval(poll);
          }
        }, 50);
        setTimeout(() => clearInterval(poll), 20_000).unref();
      });
      expect(runDir).toBeDefined();
      expect(run.signal === 'SIGINT' || run.code === 130).toBe(true);
      expect(fs.existsSync(runDir as string)).toBe(false);
      expect(run.ms).toBeLessThan(15_000);
    },
    40_000,
  );
});
