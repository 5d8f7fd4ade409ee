import type { Config } from 'jest';

// Our own suite runs the matchers from src/ through ts-jest. tinybench, pretty-ms and
// string-width (with its dependencies) are ESM-only, so ts-jest also transpiles them (users
// never need this: dist/ inlines them).
// Integration tests under tests/integration spawn the real Jest CLI on fixture projects that
// load dist/, as users do; `npm test` builds dist/ first.
const ESM_ONLY = ['tinybench', 'pretty-ms', 'parse-ms', 'string-width', 'strip-ansi', 'ansi-regex', 'get-east-asian-width'];

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/tests/fixtures/', '/tests/types/'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.m?js$`]: ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  setupFilesAfterEnv: ['jest-extended/all', '<rootDir>/src/setup.ts'],
  // Bundles src/threads/worker.ts for the threads our own tests start (ts-jest cannot reach them).
  globalSetup: '<rootDir>/tests/fixtures/threads/bundle-worker.ts',
  testTimeout: 60_000,
};

export default config;
