import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

/**
 * setup.ts loads the matchers on first use: keep `./matchers/index` as a runtime import of the
 * sibling matchers entry instead of bundling it, so loading setup costs a test file nothing
 * and the engine is one chunk shared with the main entry.
 */
const lazyMatchers: Plugin = {
  name: 'rt-slo-lazy-matchers',
  setup(build) {
    const ext = build.initialOptions.format === 'esm' ? '.mjs' : '.js';
    build.onResolve({ filter: /^\.\/matchers\/index$/ }, (args) => (/[\\/]src[\\/]setup\.ts$/.test(args.importer) ? { path: `./matchers${ext}`, external: true } : undefined));
  },
};

const common = {
  target: 'node20',
  platform: 'node',
  clean: false, // several builds may run at once while tests read dist/; prepack cleans first
  sourcemap: false,
  // ESM-only dependencies, inlined so Jest's CommonJS runtime loads our dist with no
  // transformIgnorePatterns and no experimental flags (docs/design-notes.md).
  noExternal: ['tinybench', 'pretty-ms', 'string-width', 'strip-ansi', 'ansi-regex', 'get-east-asian-width'],
  external: ['jest', 'expect', '@jest/globals', 'typescript'],
} as const;

export default defineConfig([
  {
    ...common,
    // One engine: the entries share chunks (splitting also for CommonJS), so a test file that
    // uses setup and the main entry holds one copy of the engine's module state.
    entry: { index: 'src/index.ts', matchers: 'src/matchers/index.ts' },
    format: ['cjs', 'esm'],
    splitting: true,
    // setup's declarations come from this build too, so they share the types chunk.
    dts: { entry: { index: 'src/index.ts', matchers: 'src/matchers/index.ts', setup: 'src/setup.ts' } },
  },
  {
    ...common,
    // Built on its own (no chunk to load): setup.js is the one file every test file loads.
    entry: { setup: 'src/setup.ts' },
    format: ['cjs', 'esm'],
    splitting: false,
    dts: false,
    esbuildPlugins: [lazyMatchers],
    esbuildOptions(options, { format }) {
      options.define = { ...options.define, RT_SLO_ESM: format === 'esm' ? 'true' : 'false' };
    },
  },
  {
    ...common,
    // Loaded only by require(): worker threads and child processes (src/threads/spawn.ts finds
    // thread-worker.js beside the bundle), and `rt-slo-reporter/register-ts`.
    entry: { 'thread-worker': 'src/threads/worker.ts', 'register-ts': 'src/threads/register-ts.ts' },
    format: ['cjs'],
    splitting: false,
    dts: { entry: { 'register-ts': 'src/threads/register-ts.ts' } },
  },
  {
    ...common,
    // `npx rt-slo`: a plain CommonJS script (commander is a regular dependency).
    entry: { cli: 'src/cli/index.ts' },
    format: ['cjs'],
    splitting: false,
    dts: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
