import { defineConfig } from 'tsup';

// tinybench and pretty-ms are ESM-only: inlining them lets Jest's CommonJS runtime load our
// dist with no transformIgnorePatterns and no experimental flags (see DESIGN.md).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    setup: 'src/setup.ts',
    matchers: 'src/matchers/index.ts',
    'register-ts': 'src/threads/register-ts.ts',
    // Loaded by worker threads and child processes (src/threads/spawn.ts finds it beside the bundle).
    'thread-worker': 'src/threads/worker.ts',
  },
  format: ['cjs', 'esm'],
  dts: true,
  clean: false, // several builds may run at once while tests read dist/
  target: 'node20',
  platform: 'node',
  splitting: false,
  sourcemap: false,
  noExternal: ['tinybench', 'pretty-ms', 'string-width', 'strip-ansi', 'ansi-regex', 'get-east-asian-width'],
  external: ['jest', 'expect', '@jest/globals', 'typescript'],
});
