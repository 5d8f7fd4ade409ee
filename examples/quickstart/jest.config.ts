import type { Config } from 'jest';

// The quick start: `npx jest -c examples/quickstart/jest.config.ts` (after `npm run build`).
// In your own project the same file needs no paths: `preset: 'ts-jest'` (or your transform),
// the setup file, and the reporter with your SLOs.
const config: Config = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/../../tsconfig.json' }] },
  setupFilesAfterEnv: ['rt-slo-reporter/setup'],
  reporters: [
    'default',
    [
      'rt-slo-reporter',
      {
        slos: {
          'price formatting': { tier: 'must', target: '5us', noGo: '20us', description: 'p50 of one formatPrice() call' },
          'formatter cache speedup': { tier: 'should', target: '10x', description: 'cached formatter vs a new Intl.NumberFormat per call' },
          'no leak from the cache': { tier: 'must', description: 'memory retained per formatPrice() call' },
        },
      },
    ],
  ],
  // Performance tests measured in parallel disturb each other: one file at a time.
  maxWorkers: 1,
};

export default config;
