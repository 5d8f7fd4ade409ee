import { MIN_SAMPLES_FLOOR, STOP_CONFIDENCE } from '../../src/constants';
import {
  differenceInterval,
  MIN_RESOLVABLE_NS,
  minSamplesForBounds,
  overhead,
  ratioInterval,
  sideConfidence,
  sideInterval,
  speedup,
} from '../../src/measure/compare';
import { normalQuantile, sortSamples, type Sorted } from '../../src/measure/stats';
import { parseFactor, parseLimit, parseLimitOfKind, parsePercent } from '../../src/units/limit';

/** Deterministic PRNG (mulberry32): the coverage checks below give the same answer every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  // Inverse-CDF sampling; clamp away from 0 and 1 so the quantile stays finite.
  return normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, rand())));
}

/** n samples of a log-normal timing distribution with the given median (ns) and log-sd. */
function lognormal(rand: () => number, n: number, median: number, sigma: number): Sorted {
  return sortSamples(Array.from({ length: n }, () => median * Math.exp(sigma * normal(rand))));
}

function constant(n: number, value: number): Sorted {
  return sortSamples(new Array<number>(n).fill(value));
}

describe('sideConfidence', () => {
  it('splits α over the two sides (Bonferroni)', () => {
    expect(sideConfidence(0.95)).toBeCloseTo(0.975, 12);
    expect(sideConfidence(0.99)).toBeCloseTo(0.995, 12);
  });
});

describe('minSamplesForBounds', () => {
  it('is the smallest n whose median bounds are finite at the per-side level', () => {
    // P(all n samples on one side of the median) = 0.5^n must be ≤ the tail (1 − level) / 2.
    expect(minSamplesForBounds(0.95)).toBe(7); // 0.5^7 = 0.0078 ≤ 0.0125 < 0.5^6
    expect(minSamplesForBounds(0.99)).toBe(9); // 0.5^9 = 0.00195 ≤ 0.0025 < 0.5^8
  });

  it("is covered by the engine's floor on a slow side's minimum samples", () => {
    // A slow side stops at MIN_SAMPLES_FLOOR samples; below this count it could never conclude there.
    expect(MIN_SAMPLES_FLOOR).toBeGreaterThanOrEqual(minSamplesForBounds(STOP_CONFIDENCE));
  });

  it('agrees with sideInterval: one sample fewer leaves a side unbounded', () => {
    const n = minSamplesForBounds(0.99);
    const enough = sideInterval(sortSamples([...Array(n).keys()].map((i) => i + 1)), 'p50', 0.99);
    const short = sideInterval(sortSamples([...Array(n - 1).keys()].map((i) => i + 1)), 'p50', 0.99);
    expect(Number.isFinite(enough.low) && Number.isFinite(enough.high)).toBe(true);
    expect(Number.isFinite(short.low) && Number.isFinite(short.high)).toBe(false);
  });
});

describe('ratioInterval', () => {
  it('divides the numerator by the denominator, bounds crossed', () => {
    expect(ratioInterval({ low: 90, estimate: 100, high: 110 }, { low: 9, estimate: 10, high: 11 })).toEqual({
      low: 90 / 11,
      estimate: 10,
      high: 110 / 9,
    });
  });

  it('floors the denominator so a time at the empty loop gives a finite ratio', () => {
    const r = ratioInterval({ low: 90, estimate: 100, high: 110 }, { low: 0, estimate: 0, high: 0.05 });
    expect(r.high).toBe(110 / MIN_RESOLVABLE_NS);
    expect(r.estimate).toBe(100 / MIN_RESOLVABLE_NS);
    expect(r.low).toBe(90 / MIN_RESOLVABLE_NS);
  });

  it('keeps an unbounded denominator unbounded instead of resting on the floor', () => {
    const r = ratioInterval({ low: 90, estimate: 100, high: 110 }, { low: -Infinity, estimate: 10, high: Infinity });
    expect(r.low).toBe(0);
    expect(r.high).toBe(Infinity);
  });

  it('clamps a negative numerator bound (a t interval of a time) at 0', () => {
    expect(ratioInterval({ low: -5, estimate: 10, high: 20 }, { low: 1, estimate: 2, high: 4 }).low).toBe(0);
  });
});

describe('differenceInterval', () => {
  it('subtracts with the bounds crossed, so the widths add', () => {
    expect(differenceInterval({ low: 90, estimate: 100, high: 110 }, { low: 40, estimate: 50, high: 60 })).toEqual({ low: 30, estimate: 50, high: 70 });
  });
});

describe('speedup', () => {
  it('is other ÷ ours, exact for constant samples', () => {
    const c = speedup(constant(40, 10), constant(40, 200), 'p50');
    expect(c.interval).toEqual({ low: 20, estimate: 20, high: 20 });
    expect(c.floored).toBe(false);
  });

  it('marks the floor when ours is indistinguishable from the empty loop', () => {
    const c = speedup(constant(40, 0), constant(40, 1e6), 'p50');
    expect(c.floored).toBe(true);
    expect(Number.isFinite(c.interval.high)).toBe(true);
  });

  it('is unbounded with fewer samples than the method needs', () => {
    const c = speedup(constant(40, 10), lognormal(rng(1), minSamplesForBounds(0.95) - 1, 1e7, 0.2), 'p50');
    expect(c.interval.low).toBe(0);
    expect(c.interval.high).toBe(Infinity);
  });

  it('supports the mean', () => {
    const c = speedup(constant(40, 10), constant(40, 50), 'mean');
    expect(c.interval.estimate).toBeCloseTo(5, 12);
  });
});

describe('overhead', () => {
  it('is ours − baseline for a duration', () => {
    expect(overhead(constant(40, 70), constant(40, 20), 'p50', 'duration').interval).toEqual({ low: 50, estimate: 50, high: 50 });
  });

  it('is (ours ÷ baseline − 1) × 100 for a percentage', () => {
    const iv = overhead(constant(40, 101), constant(40, 100), 'p50', 'percent').interval;
    expect(iv.estimate).toBeCloseTo(1, 9);
    expect(iv.low).toBeCloseTo(1, 9);
    expect(iv.high).toBeCloseTo(1, 9);
  });

  it('marks the floor when a percentage is taken of a baseline at the empty loop', () => {
    const c = overhead(constant(40, 5), constant(40, 0), 'p50', 'percent');
    expect(c.floored).toBe(true);
    expect(Number.isFinite(c.interval.high)).toBe(true);
    expect(overhead(constant(40, 5), constant(40, 0), 'p50', 'duration').floored).toBe(false);
  });

  it('can be negative (ours is faster than the baseline)', () => {
    expect(overhead(constant(40, 10), constant(40, 20), 'p50', 'duration').interval.estimate).toBe(-10);
  });
});

/**
 * Coverage: the fraction of simulated experiments whose 95% interval contains the true value.
 * The method promises at least 95% (union bound); for independent sides it is conservative.
 * 2,000 trials: a true coverage of 95% would show below 94% with probability < 1%.
 */
describe('coverage (seeded simulation)', () => {
  const TRIALS = 2000;
  const NOMINAL = 0.95;
  /** Three binomial standard errors below nominal at this trial count. */
  const SLACK = 3 * Math.sqrt((NOMINAL * (1 - NOMINAL)) / TRIALS);

  function coverage(trial: (rand: () => number) => boolean, seed: number): number {
    const rand = rng(seed);
    let hits = 0;
    for (let i = 0; i < TRIALS; i++) if (trial(rand)) hits++;
    if (process.env.SHOW_COVERAGE) console.log(`coverage ${hits / TRIALS}`);
    return hits / TRIALS;
  }

  it('speedup of medians, skewed timings, 30 vs 30 samples', () => {
    const c = coverage((r) => {
      const iv = speedup(lognormal(r, 30, 1000, 0.5), lognormal(r, 30, 20_000, 0.5), 'p50').interval;
      return iv.low <= 20 && 20 <= iv.high;
    }, 11);
    expect(c).toBeGreaterThanOrEqual(NOMINAL - SLACK);
  });

  it('speedup of medians with a slow side of 10 samples', () => {
    const c = coverage((r) => {
      const iv = speedup(lognormal(r, 100, 30_000, 0.3), lognormal(r, 10, 40e6, 0.3), 'p50').interval;
      const truth = 40e6 / 30_000;
      return iv.low <= truth && truth <= iv.high;
    }, 12);
    expect(c).toBeGreaterThanOrEqual(NOMINAL - SLACK);
  });

  it('difference of medians (overhead) near zero', () => {
    const c = coverage((r) => {
      const iv = overhead(lognormal(r, 50, 20_010, 0.05), lognormal(r, 50, 20_000, 0.05), 'p50', 'duration').interval;
      return iv.low <= 10 && 10 <= iv.high;
    }, 13);
    expect(c).toBeGreaterThanOrEqual(NOMINAL - SLACK);
  });

  it('percent overhead of medians', () => {
    const c = coverage((r) => {
      const iv = overhead(lognormal(r, 40, 1010, 0.2), lognormal(r, 40, 1000, 0.2), 'p50', 'percent').interval;
      return iv.low <= 1 && 1 <= iv.high;
    }, 14);
    expect(c).toBeGreaterThanOrEqual(NOMINAL - SLACK);
  });

  it('difference of means, normal timings', () => {
    const c = coverage((r) => {
      const a = sortSamples(Array.from({ length: 30 }, () => 150 + 10 * normal(r)));
      const b = sortSamples(Array.from({ length: 30 }, () => 100 + 10 * normal(r)));
      const iv = overhead(a, b, 'mean', 'duration').interval;
      return iv.low <= 50 && 50 <= iv.high;
    }, 15);
    expect(c).toBeGreaterThanOrEqual(NOMINAL - SLACK);
  });
});

describe('parseLimit', () => {
  it('reads durations into ns and percentages into percent points', () => {
    expect(parseLimit('5ns')).toEqual({ kind: 'duration', value: 5 });
    expect(parseLimit('1.5 us')).toEqual({ kind: 'duration', value: 1500 });
    expect(parseLimit('1%')).toEqual({ kind: 'percent', value: 1 });
    expect(parseLimit('0.5 %')).toEqual({ kind: 'percent', value: 0.5 });
    expect(parseLimit('0%')).toEqual({ kind: 'percent', value: 0 });
  });

  it.each([5, '5', '-1%', '5xs', '%', '1%%', ' 1%', '', null, undefined, {}])('refuses %p with a TypeError naming the argument', (bad) => {
    expect(() => parseLimit(bad, 'limit')).toThrow(TypeError);
    expect(() => parseLimit(bad, 'limit')).toThrow(/^limit must be a duration string .* or a percentage string/);
  });

  it('explains why a bare number is refused', () => {
    expect(() => parseLimit(0.01, 'limit')).toThrow(/bare number is refused as ambiguous .*received 0\.01$/);
  });

  it('parseLimitOfKind refuses the other kind', () => {
    expect(parseLimitOfKind('2us', 'duration', 'noGo')).toBe(2000);
    expect(() => parseLimitOfKind('2%', 'duration', 'noGo')).toThrow(/^noGo must be a duration like the limit it goes with; received "2%"$/);
    expect(() => parseLimitOfKind('2us', 'percent', 'noGo')).toThrow(/^noGo must be a percentage like the limit/);
  });

  it('parsePercent', () => {
    expect(parsePercent('12.5%')).toBe(12.5);
    expect(() => parsePercent('12.5')).toThrow(TypeError);
  });
});

describe('parseFactor', () => {
  it('reads numbers and "1000x"', () => {
    expect(parseFactor(4)).toBe(4);
    expect(parseFactor(0.5)).toBe(0.5);
    expect(parseFactor('1000x')).toBe(1000);
    expect(parseFactor('1000')).toBe(1000);
  });

  it.each([0, -1, NaN, Infinity, '0x', 'x', 'ten', null])('refuses %p', (bad) => {
    expect(() => parseFactor(bad, 'by')).toThrow(/^by must be a positive finite number/);
  });
});
