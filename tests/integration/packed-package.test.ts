/**
 * The package as users install it: `npm pack`, install the tarball into a scratch project with
 * its own jest, ts-jest and TypeScript, run `npx jest --reporters=default
 * --reporters=rt-slo-reporter` on a type-checked .ts test there, and read the matrix.
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
const DEV_DEPENDENCIES = { jest: '^30.5.2', 'ts-jest': '^29.4.15', typescript: '~5.9', '@types/jest': '^30.0.0' };

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
  'npm pack → install into a scratch project → jest --reporters=rt-slo-reporter prints the matrix',
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
    fs.writeFileSync(
      path.join(project, 'jest.config.js'),
      `module.exports = {\n  testEnvironment: 'node',\n  setupFilesAfterEnv: ['rt-slo-reporter/setup'],\n  transform: { '^.+\\\\.ts$': 'ts-jest' },\n};\n`,
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

    const jest = spawnSync('npx', ['jest', '--reporters=default', '--reporters=rt-slo-reporter'], { cwd: project, env, encoding: 'utf8', timeout: JEST_TIMEOUT_MS });
    const out = jest.stderr;
    expect(out).toMatch(/Tests: +2 passed, 2 total/);
    expect(jest.status).toBe(0);
    expect(out).toMatch(/SLO decision matrix/);
    expect(out).toMatch(/^MUST +noop call † +≤1ms +— +\[.+ +\d+ +PASS$/m);
    expect(out).toMatch(/^Decision: GO — MUST 1\/1 pass; SHOULD 0\/0; NICE 0\/0$/m);
    const report = JSON.parse(fs.readFileSync(path.join(project, 'slo-report', 'report.json'), 'utf8')) as { schemaVersion: number; decision: { verdict: string }; records: unknown[] };
    expect(report).toMatchObject({ schemaVersion: 2, decision: { verdict: 'GO' } });
    expect(report.records).toHaveLength(1);
  },
  NPM_TIMEOUT_MS + JEST_TIMEOUT_MS,
);
