/**
 * For Jest's `setupFilesAfterEnv`: registers every rt-slo-reporter matcher on the global
 * `expect`, and (imported from TypeScript) brings their types for both the global `expect`
 * and `@jest/globals`.
 *
 * Jest runs this file once per test file, in a fresh module registry, so whatever it loads is
 * paid by every test file, including those that measure nothing. It therefore loads nothing:
 * each matcher is registered as a thin wrapper that loads the measurement engine (the
 * `rt-slo-reporter/matchers` entry, which shares its chunk with the main entry) on its first
 * call. Every matcher returns a promise already, so the wrappers are async too.
 */
import { runInThisContext } from 'node:vm';
import type { MatcherContext } from 'expect';
import type { SloMatchers } from './matchers/types';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Matchers<R, T = {}> extends SloMatchers<R> {}
  }
}

declare module 'expect' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<R extends void | Promise<void>, T = unknown> extends SloMatchers<R> {}
}

/** Every matcher `expect.extend` receives. The check below fails the build when one is missing. */
const MATCHER_NAMES = ['toRunUnder', 'toBeFasterThan', 'toHaveOverheadUnder', 'toScaleLinearly', 'toStartUnder', 'toUseMemoryUnder', 'toLeakMemory'] as const satisfies ReadonlyArray<keyof SloMatchers>;
type Unlisted = Exclude<keyof SloMatchers, (typeof MATCHER_NAMES)[number]>;
const everyMatcherListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyMatcherListed;

type MatcherName = (typeof MATCHER_NAMES)[number];
type Matcher = (this: MatcherContext, ...args: unknown[]) => Promise<{ pass: boolean; message: () => string }>;
type Engine = Record<MatcherName, Matcher>;

/** Set by tsup in the ES module build (setup.mjs), which must use import() instead of require(). */
declare const RT_SLO_ESM: boolean | undefined;

let engine: Engine | undefined;
let loading: Promise<Engine> | undefined;

/**
 * The matchers module, loaded once. CommonJS: a plain require of `./matchers` (src/matchers
 * under ts-jest, dist/matchers.js in the package: tsup keeps the path as a runtime require),
 * so it lands in the test file's own module registry, beside the main entry's copy of the chunk.
 */
function loadEngine(): Engine | Promise<Engine> {
  if (engine) return engine;
  if (typeof RT_SLO_ESM === 'boolean' && RT_SLO_ESM) {
    return (loading ??= import('./matchers/index').then((m) => (engine = m as unknown as Engine)));
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (engine = require('./matchers/index') as Engine);
}

function lazy(name: MatcherName): Matcher {
  // A named function expression: Jest's error stacks and `.name` show the matcher's name.
  const wrapper = {
    async [name](this: MatcherContext, ...args: unknown[]) {
      const m = await loadEngine();
      return m[name].apply(this, args);
    },
  }[name];
  return wrapper;
}

const jestExpect = (globalThis as { expect?: { extend(m: object): void } }).expect;
if (!jestExpect || typeof jestExpect.extend !== 'function') {
  throw new Error('rt-slo-reporter/setup must run inside Jest: add it to setupFilesAfterEnv in your Jest config.');
}
const wrappers: Partial<Record<MatcherName, Matcher>> = {};
for (const name of MATCHER_NAMES) wrappers[name] = lazy(name);
jestExpect.extend(wrappers);

/**
 * Outside Jest's VM sandbox (jest-light-runner: bare Node, one real global per thread),
 * jest.useFakeTimers() also replaces node:timers' exports and perf_hooks' performance.now, which
 * the engine captures when it loads; loaded lazily after a test installed the fakes, it would
 * capture frozen clocks and timers that never fire. There, setup runs once per thread, not per
 * file, so loading the engine now costs nothing per file.
 */
if (runInThisContext('globalThis') === globalThis) void loadEngine();
