import type { Config } from 'jest';

// Our own test suite. Perf-sensitive tests run serially (maxWorkers 1 in CI is set by .ci/run
// through --runInBand where needed); integration tests spawn their own Jest processes.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/tests/fixtures/', '/tests/types/'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFilesAfterEnv: ['jest-extended/all', '<rootDir>/dist/setup.js'],
  testTimeout: 60_000,
};

export default config;
