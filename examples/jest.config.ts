import type { Config } from 'jest';

// Bootstrap config for the runtime's own tests; the SLO declarations come next.
const config: Config = {
  rootDir: __dirname,
  roots: ['<rootDir>/global-runtime'],
  testMatch: ['**/*.test.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.json' }] },
  setupFilesAfterEnv: ['rt-slo-reporter/setup'],
  maxWorkers: 1,
  testTimeout: 60_000,
};

export default config;
