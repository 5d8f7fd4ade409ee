/** Every matcher, for `expect.extend(matchers)`. One export line per matcher. */
export { toRunUnder } from './toRunUnder';

export type { SloMatchers } from './types';
export type { RunUnderOptions } from './toRunUnder';
export type { RowOptions } from './shared';
