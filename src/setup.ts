/**
 * For Jest's `setupFilesAfterEnv`: registers every rt-slo-reporter matcher on the global
 * `expect`, and (imported from TypeScript) brings their types for both the global `expect`
 * and `@jest/globals`.
 */
import * as matchers from './matchers/index';
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

const jestExpect = (globalThis as { expect?: { extend(m: object): void } }).expect;
if (!jestExpect || typeof jestExpect.extend !== 'function') {
  throw new Error('rt-slo-reporter/setup must run inside Jest: add it to setupFilesAfterEnv in your Jest config.');
}
jestExpect.extend(matchers);
