/**
 * The package as users install it: `npm pack`, install the tarball into a scratch project with
 * its own jest, ts-jest and TypeScript, run `npx jest --reporters=default
 * --reporters=rt-slo-reporter` on a type-checked .ts test there, and read the matrix.
 * The scratch project has the configuration docs/fidelity.md recommends: a second Jest project
 * entry, `perf`, on jest-light-runner (bare Node) with tsx registered by a setupFiles entry.
 * Runs by default; set RT_SLO_SKIP_PACKED=1 to skip it (it needs npm and its cache).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../..');
const SKIP = process.env.RT_SLO_SKIP_PACKED === '1';
const NPM_TIMEOUT_MS = 240_000;
const JEST_TIMEOUT_MS = 120_000;

/** Versions as in the repository's own lockfile, so the npm cache already has them. */
const DEV_DEPENDENCIES = { jest: '^30.5.2', 'ts-jest': '^29.4.15', typescript: '~5.9', '@types/jest': '^30.0.0', '@types/node': '^20.19.43', 'jest-light-runner': '^0.7.13', tsx: '^4.23.15' };

let scratch: string;

beforeAll(() => {
  if (SKIP) return;
  if (!fs.existsSync(path.join(REPO, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npx tsup` first');
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-packed-'));
});

afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

const maybe = SKIP ? test.skip : test;

maybe(
  'npm pack → install into a scratch project (a ts-jest project and a jest-light-runner perf project) → jest --reporters=rt-slo-reporter prints the matrix',
  () => {
    // --ignore-scripts: prepack would delete dist/ while other tests in this tree read it; the
    // tarball gets the dist/ already built (the integration tests need it current anyway).
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: REPO, encoding: 'utf8' })) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const tarball = path.join(scratch, path.basename(packed[0].filename));
    const files = packed[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/setup.js', 'dist/setup.d.ts']));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('tests/'))).toEqual([]);

    const project = path.join(scratch, 'project');
    fs.mkdirSync(path.join(project, 'tests'), { recursive: true });
    const pkg = { name: 'scratch-project', private: true, version: '0.0.0', devDependencies: { ...DEV_DEPENDENCIES, 'rt-slo-reporter': `file:${tarball}` } };
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify(pkg, null, 2));
    fs.writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, types: ['jest', 'node'], skipLibCheck: false } }, null, 2),
    );
    // The recommended configuration (docs/fidelity.md): unit tests as before, perf tests in bare Node.
    fs.writeFileSync(
      path.join(project, 'jest.config.js'),
      [
        'module.exports = {',
        '  projects: [',
        "    { displayName: 'unit', testEnvironment: 'node', testMatch: ['<rootDir>/tests/**/*.test.ts'], setupFilesAfterEnv: ['rt-slo-reporter/setup'], transform: { '^.+\\\\.ts$': 'ts-jest' } },",
        '    {',
        "      displayName: 'perf',",
        "      runner: 'jest-light-runner',",
        "      testMatch: ['<rootDir>/perf/**/*.perf.ts'],",
        "      moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],",
        "      setupFiles: ['<rootDir>/perf/tsx-register.mjs'],",
        "      setupFilesAfterEnv: ['rt-slo-reporter/setup'],",
        '    },',
        '  ],',
        '};',
        '',
      ].join('\n'),
    );
    fs.mkdirSync(path.join(project, 'perf'));
    fs.writeFileSync(
      path.join(project, 'perf', 'tsx-register.mjs'),
      ["import { register as registerEsm } from 'tsx/esm/api';", "import { register as registerCjs } from 'tsx/cjs/api';", '', 'registerEsm();', 'registerCjs();', ''].join('\n'),
    );
    fs.writeFileSync(path.join(project, 'perf', 'lookup.ts'), ['export function lookup(table: Map<string, number>, key: string): number {', '  return table.get(key) ?? -1;', '}', ''].join('\n'));
    fs.writeFileSync(
      path.join(project, 'perf', 'lookup.perf.ts'),
      [
        "import 'rt-slo-reporter/setup';",
        "import vm from 'node:vm';",
        "import { startup } from 'rt-slo-reporter';",
        "import { lookup } from './lookup';",
        '',
        "const table = new Map<string, number>([['a', 1], ['b', 2]]);",
        '',
        "test('perf files run in bare Node', () => {",
        "  expect(vm.runInThisContext('globalThis')).toBe(globalThis);",
        '});',
        '',
        "test('lookup under 1ms', async () => {",
        "  await expect(() => lookup(table, 'b')).toRunUnder('1ms', { maxTime: '300ms', warmup: '1ms', slo: 'lookup call' });",
        '});',
        '',
        "test('the TypeScript module starts in a fresh thread', async () => {",
        "  await expect(startup(require.resolve('./lookup.ts'), 'lookup', { args: [new Map(), 'a'] })).toStartUnder('5s', { slo: 'lookup cold start', tier: 'should' });",
        '});',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(project, 'tests', 'latency.test.ts'),
      [
        "import 'rt-slo-reporter/setup';",
        '',
        "test('noop under 1ms', async () => {",
        "  await expect(() => 42).toRunUnder('1ms', { maxTime: '300ms', warmup: '1ms', slo: 'noop call' });",
        '});',
        '',
        '// ts-jest type-checks this file: an unused @ts-expect-error would fail it, so the types are live.',
        "test('the matcher types come with the package', () => {",
        "  // @ts-expect-error '10xs' is not a Duration",
        "  const typo = () => expect(() => 42).toRunUnder('10xs');",
        "  expect(typeof typo).toBe('function');",
        '});',
        '',
      ].join('\n'),
    );

    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of ['RT_SLO_RUN_DIR', 'JEST_WORKER_ID', 'CI', 'FORCE_COLOR', 'NO_COLOR']) delete env[k];
    const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project, env, encoding: 'utf8', timeout: NPM_TIMEOUT_MS });
    if (install.status !== 0) throw new Error(`npm install failed (${install.status}):\n${install.stdout}\n${install.stderr}`);
    expect(fs.existsSync(path.join(project, 'node_modules', 'rt-slo-reporter', 'dist', 'index.js'))).toBe(true);

    // The perf files are type-checked too (tsx only strips types): the matcher types reach them.
    const tsc = spawnSync('npx', ['tsc', '--noEmit', '-p', '.'], { cwd: project, env, encoding: 'utf8', timeout: JEST_TIMEOUT_MS });
    expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
    expect(tsc.status).toBe(0);

    const jest = spawnSync('npx', ['jest', '--maxWorkers=2', '--reporters=default', '--reporters=rt-slo-reporter'], { cwd: project, env, encoding: 'utf8', timeout: JEST_TIMEOUT_MS });
    const out = jest.stderr;
    expect(out).toMatch(/Tests: +5 passed, 5 total/);
    expect(out).toMatch(/PASS +perf +perf\/lookup\.perf\.ts/);
    expect(out).toMatch(/PASS +unit +tests\/latency\.test\.ts/);
    expect(jest.status).toBe(0);
    expect(out).toMatch(/SLO decision matrix/);
    expect(out).toMatch(/^MUST +noop call † +≤1ms +— +\[.+ +\d+ +PASS$/m);
    expect(out).toMatch(/^MUST +lookup call +≤1ms +— +\[.+ +\d+ +PASS$/m);
    expect(out).toMatch(/^SHOULD +lookup cold start +≤5s +— +\[.+ +\d+ +PASS$/m);
    expect(out).toMatch(/^Decision: GO( WITH WARNINGS)? — MUST 2\/2 pass; SHOULD 1\/1; NICE 0\/0$/m);
    const report = JSON.parse(fs.readFileSync(path.join(project, 'slo-report', 'report.json'), 'utf8')) as {
      schemaVersion: number;
      decision: { verdict: string };
      records: Array<{ slo: string; testPath: string }>;
    };
    expect(report.schemaVersion).toBe(2);
    expect(['GO', 'GO WITH WARNINGS']).toContain(report.decision.verdict);
    expect(report.records.map((r) => [r.slo, path.relative(project, r.testPath)]).sort()).toEqual([
      ['lookup call', path.join('perf', 'lookup.perf.ts')],
      ['lookup cold start', path.join('perf', 'lookup.perf.ts')],
      ['noop call', path.join('tests', 'latency.test.ts')],
    ]);
  },
  NPM_TIMEOUT_MS + JEST_TIMEOUT_MS,
);
