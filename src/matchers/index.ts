/** Every matcher, for `expect.extend(matchers)`. One export line per matcher. */
export { toRunUnder } from './toRunUnder';
export { toBeFasterThan } from './toBeFasterThan';
export { toHaveOverheadUnder } from './toHaveOverheadUnder';
export { toScaleLinearly } from './toScaleLinearly';
export { toStartUnder } from './toStartUnder';
export { toUseMemoryUnder } from './toUseMemoryUnder';
export { toLeakMemory } from './toLeakMemory';

export type { SloMatchers } from './types';
export type { RunUnderOptions } from './toRunUnder';
export type { FasterThanOptions } from './toBeFasterThan';
export type { OverheadOptions } from './toHaveOverheadUnder';
export type { ScaleLinearlyOptions } from './toScaleLinearly';
export type { StartUnderOptions } from './toStartUnder';
export type { UseMemoryUnderOptions, MemoryMeasure } from './toUseMemoryUnder';
export type { LeakMemoryOptions } from './toLeakMemory';
export type { RowOptions } from './row';
