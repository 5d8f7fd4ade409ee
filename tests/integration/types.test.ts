/**
 * The type test: compiles the projects under tests/types with the real TypeScript compiler,
 * against the published declarations (dist/*.d.ts, dist/*.d.mts, reached through the package's
 * own `exports` by self-reference). `npm test` builds dist/ first; this test builds it only
 * when the declarations are missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TYPES = path.join(ROOT, 'tests', 'types');
/** tsc on a loaded 2-core machine: ~10 s each, ~40 s with library checking. */
const TSC_TIMEOUT_MS = 180_000;
/** A dts build takes ~20 s here. */
const BUILD_TIMEOUT_MS = 240_000;

const DECLARATIONS = ['index.d.ts', 'index.d.mts', 'setup.d.ts', 'setup.d.mts', 'matchers.d.ts', 'matchers.d.mts'];

function tsc(project: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [TSC, '-p', path.join(TYPES, project), '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8', timeout: TSC_TIMEOUT_MS });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  const missing = DECLARATIONS.filter((f) => !fs.existsSync(path.join(ROOT, 'dist', f)));
  if (missing.length > 0) execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsup', 'dist', 'cli-default.js')], { cwd: ROOT, stdio: 'ignore', timeout: BUILD_TIMEOUT_MS });
}, BUILD_TIMEOUT_MS);

describe('type test', () => {
  test(
    'global expect (@types/jest), CommonJS and ES module consumers: compiles, every @ts-expect-error used',
    () => {
      const { status, output } = tsc('global');
      expect(output).toBe('');
      expect(status).toBe(0);
    },
    TSC_TIMEOUT_MS,
  );

  test(
    '@jest/globals without @types/jest, declarations checked too: compiles',
    () => {
      const { status, output } = tsc('globals');
      expect(output).toBe('');
      expect(status).toBe(0);
    },
    TSC_TIMEOUT_MS,
  );

  test(
    'can fail: wrong calls without @ts-expect-error are the expected errors',
    () => {
      const { status, output } = tsc('negative');
      expect(status).toBe(2); // tsc: errors found, nothing else went wrong
      const errors = output.trim().split('\n');
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatch(/wrong\.ts\(4,\d+\): error TS2345: Argument of type '"10xs"' is not assignable to parameter of type 'Duration'\./);
      expect(errors[1]).toMatch(/wrong\.ts\(5,\d+\): error TS2322: Type '"p42"' is not assignable to type 'Stat \| undefined'\./);
    },
    TSC_TIMEOUT_MS,
  );
});
