import type { Config } from 'jest';
import production, { slos } from './jest.config';

/**
 * The same global-runtime benchmark plan in Jest's default environment: ts-jest, each test file
 * inside Jest's VM sandbox. `npm run example:sandbox`. It exists for comparison only (the
 * side-by-side in global-runtime/README.md): its matrix marks sandboxed rows with † and prints
 * the sandbox's global-lookup penalty. `npm run example` (examples/jest.config.ts) is the run
 * whose figures mean what they say.
 */
const { runner: _runner, setupFiles: _setupFiles, moduleFileExtensions: _extensions, reporters: _reporters, ...shared } = production;

const config: Config = {
  ...shared,
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.json' }] },
  // Its own folder, so a sandbox run does not overwrite the production report.
  reporters: ['default', ['rt-slo-reporter', { slos: slos, outputDir: process.env.RT_SLO_EXAMPLE_REPORT_DIR ?? 'slo-report/sandbox' }]],
};

export default config;
