/**
 * Statistics against reference values. Every reference number below was computed outside this
 * code base: quantiles with numpy.quantile (R's type 7), normal and Student-t quantiles, t CDF,
 * density and incomplete beta with scipy.stats / scipy.special (the same algorithms as R's
 * qnorm/qt/pt), ranks with exact BigInt binomial sums in this file.
 */
import {
  incompleteBeta,
  meanInterval,
  meanSd,
  normalQuantile,
  quantile,
  quantileInterval,
  quantileRanks,
  relativeMargin,
  Reservoir,
  sortSamples,
  statInterval,
  summarize,
  tCdf,
  tDensity,
  tQuantile,
} from '../../src/measure/stats';

/** |actual − expected| ≤ tol·|expected| (or tol when expected is 0). */
function expectRelative(actual: number, expected: number, tol: number): void {
  const err = expected === 0 ? Math.abs(actual) : Math.abs((actual - expected) / expected);
  if (!(err <= tol)) throw new Error(`expected ${actual} within ${tol} (relative) of ${expected}; error ${err}`);
}

/** A small seeded PRNG (mulberry32): the statistical checks below are deterministic. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('quantile (type 7)', () => {
  // numpy.quantile(x, q), default method 'linear' = R type 7.
  const x = sortSamples([3.1, 0.5, 7.25, 2.0, 9.75, 4.4, 1.2, 8.8, 6.0, 5.5, 2.9]);
  test.each([
    [0, 0.5],
    [0.1, 1.2],
    [0.25, 2.45],
    [0.5, 4.4],
    [0.75, 6.625],
    [0.9, 8.8],
    [0.99, 9.655000000000001],
    [0.999, 9.7405],
    [1, 9.75],
  ])('q=%p → %p (numpy)', (q, expected) => {
    expectRelative(quantile(x, q), expected, 1e-14);
  });

  test('larger data set against numpy', () => {
    const y = sortSamples(Array.from({ length: 1000 }, (_, i) => (i + 1) ** 1.5).reverse());
    expectRelative(quantile(y, 0.5), 11197.118779792123, 1e-13);
    expectRelative(quantile(y, 0.75), 20549.86912690259, 1e-13);
    expectRelative(quantile(y, 0.99), 31150.09487379794, 1e-13);
    expectRelative(quantile(y, 0.999), 31575.40171960404, 1e-13);
  });

  test('edge sizes', () => {
    expect(quantile(sortSamples([]), 0.5)).toBeNaN();
    expect(quantile(sortSamples([7]), 0.99)).toBe(7);
  });

  test('sortSamples sorts numerically, not as strings', () => {
    expect(Array.from(sortSamples([10, 9, 100, 1]))).toEqual([1, 9, 10, 100]);
  });
});

describe('normalQuantile', () => {
  // Acklam's approximation: documented |relative error| < 1.15e-9.
  const ACKLAM_TOLERANCE = 1.2e-9;
  test.each([
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.999, 3.090232306167813],
    [0.9, 1.2815515655446004],
    [0.9999, 3.719016485455709],
    [1e-6, -4.753424308822899],
    [0.02, -2.053748910631823], // lower tail branch
    [0.03, -1.880793608151251], // central branch
  ])('Φ⁻¹(%p) = %p (scipy)', (p, expected) => {
    expectRelative(normalQuantile(p), expected, ACKLAM_TOLERANCE);
  });

  test('centre and ends', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(0.2)).toBeCloseTo(-normalQuantile(0.8), 12);
  });
});

describe('tQuantile', () => {
  // scipy.stats.t.ppf(p, df), the same values as R's qt(p, df).
  const reference: [number, number, number][] = [
    [0.975, 1, 12.706204736174694],
    [0.975, 2, 4.302652729749462],
    [0.975, 3, 3.1824463052837078],
    [0.975, 4, 2.7764451051977934],
    [0.975, 5, 2.5705818356363146],
    [0.975, 10, 2.228138851986274],
    [0.975, 30, 2.0422724563012378],
    [0.975, 100, 1.9839715185235518],
    [0.975, 1000, 1.9623390808264083],
    [0.995, 1, 63.656741162871526],
    [0.995, 2, 9.924843200918287],
    [0.995, 3, 5.840909309733355],
    [0.995, 4, 4.604094871349992],
    [0.995, 5, 4.032142983555228],
    [0.995, 10, 3.16927267261695],
    [0.995, 30, 2.7499956535672254],
    [0.995, 100, 2.6258905214380173],
    [0.995, 1000, 2.580754698065951],
  ];
  // Exact formulas (df 1, 2) and Newton on the exact CDF (df < 100) reach ~1e-15; from df 100
  // on the Cornish–Fisher expansion alone is used: 8.4e-10 at df 100, and beyond that the
  // normal quantile's own error (Acklam, 1.15e-9) dominates.
  test.each(reference)('qt(%p, df=%p) = %p', (p, df, expected) => {
    expectRelative(tQuantile(p, df), expected, df < 100 ? 1e-12 : 1.2e-9);
  });

  test('non-integer df, far tail and lower tail', () => {
    expectRelative(tQuantile(0.975, 2.5), 3.5746548420036817, 1e-12);
    expectRelative(tQuantile(0.9999, 3), 22.203742273205, 1e-11);
    expectRelative(tQuantile(0.025, 7), -2.3646242515927844, 1e-12);
    expectRelative(tQuantile(0.975, 99), 1.9842169515864174, 1e-12);
    expectRelative(tQuantile(0.975, 150), 1.9759053308966201, 1.2e-9);
    expect(tQuantile(0.5, 4)).toBe(0);
  });

  test('t CDF, density and incomplete beta (scipy)', () => {
    expectRelative(tCdf(2.0, 3), 0.9303370157205785, 1e-13);
    expectRelative(tCdf(-1.5, 7), 0.088649243494985, 1e-12);
    expectRelative(tCdf(0.3, 2.5), 0.6063288142524014, 1e-13);
    expectRelative(tDensity(1.0, 5), 0.2196797973509805, 1e-13);
    expectRelative(incompleteBeta(0.3, 2.5, 0.5), 0.018927124071945658, 1e-12);
    expectRelative(incompleteBeta(0.8, 10, 3), 0.5583457484800002, 1e-12);
    expect(incompleteBeta(0, 2, 3)).toBe(0);
    expect(incompleteBeta(1, 2, 3)).toBe(1);
  });

  test('the quantile inverts the CDF for every df from 3 to 99', () => {
    for (let df = 3; df < 100; df++) for (const p of [0.9, 0.975, 0.995]) expectRelative(tCdf(tQuantile(p, df), df), p, 1e-13);
  });
});

describe('meanSd (Welford)', () => {
  test('small data', () => {
    // scipy: mean 10.9375, sd (ddof=1) 1.7866069197543946
    const { mean, sd } = meanSd([12.5, 9.0, 11.25, 10.0, 13.75, 8.5, 10.5, 12.0]);
    expectRelative(mean, 10.9375, 1e-15);
    expectRelative(sd, 1.7866069197543946, 1e-14);
  });

  test('stable with a large offset: 1e9 + small values', () => {
    // Naive Σx² − (Σx)²/n loses every digit here: x² ≈ 1e18 leaves no room for a variance of 30.
    const { mean, sd } = meanSd([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);
    expect(mean - 1e9).toBeCloseTo(10, 9);
    expectRelative(sd, Math.sqrt(30), 1e-9);
  });

  test('stable over 100,000 values at 1e9 + (i mod 10)', () => {
    const n = 100_000;
    const xs = Array.from({ length: n }, (_, i) => 1e9 + (i % 10));
    const { mean, sd } = meanSd(xs);
    expect(mean - 1e9).toBeCloseTo(4.5, 6); // within 5e-7 of 1e9 + 4.5: near the 1.2e-7 spacing of doubles there
    // Population variance of 0..9 is 8.25; the sample variance scales it by n/(n−1).
    expectRelative(sd, Math.sqrt((8.25 * n) / (n - 1)), 1e-7);
  });

  test('edge sizes', () => {
    expect(meanSd([]).mean).toBeNaN();
    expect(meanSd([5])).toEqual({ mean: 5, sd: 0 });
  });
});

describe('meanInterval', () => {
  const xs = [12.5, 9.0, 11.25, 10.0, 13.75, 8.5, 10.5, 12.0];
  test('95% interval: mean ± t(0.975, n−1)·sd/√n (scipy)', () => {
    const iv = meanInterval(xs, 0.95);
    expectRelative(iv.estimate, 10.9375, 1e-15);
    expectRelative(iv.low, 9.443859236356912, 1e-12);
    expectRelative(iv.high, 12.431140763643088, 1e-12);
  });
  test('99% interval', () => {
    const iv = meanInterval(xs, 0.99);
    expectRelative(iv.low, 8.727013111400261, 1e-12);
    expectRelative(iv.high, 13.147986888599739, 1e-12);
  });
  test('one sample has an unbounded interval', () => {
    expect(meanInterval([3], 0.95)).toEqual({ low: -Infinity, estimate: 3, high: Infinity });
  });
});

/** Exact Bin(n, a/b) CDF numerators over b^n, as BigInt: cdf[i] = b^n · P(B ≤ i). */
function exactCdfNumerators(n: number, a: bigint, b: bigint): bigint[] {
  const out: bigint[] = [];
  const q = b - a;
  let term = q ** BigInt(n); // C(n,0)·a^0·q^n
  let sum = 0n;
  for (let i = 0; i <= n; i++) {
    sum += term;
    out.push(sum);
    if (i < n) term = (term * BigInt(n - i) * a) / (BigInt(i + 1) * q); // exact: the quotient is C(n,i+1)·a^(i+1)·q^(n−i−1)
  }
  return out;
}

/**
 * Ranks straight from the definition, with α/2 = 0.025 = 1/40 compared exactly:
 * j = max{ j ≥ 0 : P(B ≤ j−1) ≤ 1/40 }, k = min{ k ≤ n+1 : P(B ≥ k) ≤ 1/40 }.
 */
function exactRanks(n: number, a: bigint, b: bigint): { j: number; k: number } {
  const cdf = exactCdfNumerators(n, a, b);
  const total = b ** BigInt(n);
  const atMost = (i: number): bigint => (i < 0 ? 0n : i >= n ? total : cdf[i]);
  let j = 0;
  for (let cand = 0; cand <= n; cand++) if (40n * atMost(cand - 1) <= total) j = cand;
  let k = n + 1;
  for (let cand = n + 1; cand >= 1; cand--) if (40n * (total - atMost(cand - 1)) <= total) k = cand;
  return { j, k };
}

describe('quantileInterval ranks', () => {
  const cases: [number, number, bigint, bigint][] = [];
  for (const n of [10, 20, 100, 301, 1000, 5000]) {
    cases.push([n, 0.5, 1n, 2n]);
    cases.push([n, 0.99, 99n, 100n]);
  }
  cases.push([2000, 0.999, 999n, 1000n], [4000, 0.999, 999n, 1000n], [200, 0.75, 3n, 4n]);

  test.each(cases)('n=%p p=%p: ranks equal the exact binomial ranks', (n, p, a, b) => {
    const expected = exactRanks(n, a, b);
    expect(quantileRanks(n, p, 0.95)).toEqual(expected);
    // On the values 1..n a rank is its own value, so the interval shows the ranks directly.
    const iv = quantileInterval(sortSamples(Array.from({ length: n }, (_, i) => i + 1)), p, 0.95);
    expect(iv.low).toBe(expected.j >= 1 ? expected.j : -Infinity);
    expect(iv.high).toBe(expected.k <= n ? expected.k : Infinity);
  });

  test('known values (scipy.stats.binom)', () => {
    expect(quantileRanks(10, 0.5, 0.95)).toEqual({ j: 2, k: 9 });
    expect(quantileRanks(100, 0.5, 0.95)).toEqual({ j: 40, k: 61 });
    expect(quantileRanks(1000, 0.99, 0.95)).toEqual({ j: 983, k: 997 });
    expect(quantileRanks(100, 0.99, 0.95).k).toBe(101); // p99's upper side needs more samples
  });

  test('coverage of the true median is at least 95% (seeded simulation)', () => {
    const rand = mulberry32(42);
    const reps = 2000;
    let covered = 0;
    for (let r = 0; r < reps; r++) {
      const iv = quantileInterval(sortSamples(Array.from({ length: 50 }, rand)), 0.5, 0.95);
      if (iv.low <= 0.5 && 0.5 <= iv.high) covered++;
    }
    // Exact coverage at n = 50 is 96.7%; 93% leaves about 5 binomial sd of room.
    expect(covered / reps).toBeGreaterThan(0.93);
  });

  test('empty input is unbounded', () => {
    const iv = quantileInterval(sortSamples([]), 0.5, 0.95);
    expect(iv.low).toBe(-Infinity);
    expect(iv.high).toBe(Infinity);
  });
});

describe('statInterval', () => {
  const xs = sortSamples(Array.from({ length: 200 }, (_, i) => i + 1));
  test('min: the sample minimum, reaching to p1', () => {
    expect(statInterval(xs, 'min', 0.95)).toEqual({ low: 1, estimate: 1, high: quantile(xs, 0.01) });
  });
  test('max: the sample maximum, reaching down to p99', () => {
    expect(statInterval(xs, 'max', 0.95)).toEqual({ low: quantile(xs, 0.99), estimate: 200, high: 200 });
  });
  test('mean and quantiles delegate to their intervals', () => {
    expect(statInterval(xs, 'mean', 0.95)).toEqual(meanInterval(xs, 0.95));
    expect(statInterval(xs, 'p75', 0.95)).toEqual(quantileInterval(xs, 0.75, 0.95));
    expect(statInterval(xs, 'p50', 0.95).estimate).toBe(100.5);
  });
});

describe('summarize', () => {
  test('matches numpy on 1,000 values, with p999', () => {
    const s = summarize(sortSamples(Array.from({ length: 1000 }, (_, i) => (i + 1) ** 1.5)));
    expectRelative(s.mean, 12664.92595633625, 1e-13);
    expectRelative(s.sd, 9496.846350822545, 1e-12);
    expectRelative(s.p50, 11197.118779792123, 1e-13);
    expectRelative(s.p75, 20549.86912690259, 1e-13);
    expectRelative(s.p99, 31150.09487379794, 1e-13);
    expectRelative(s.p999 as number, 31575.40171960404, 1e-13);
    expect(s.min).toBe(1);
    expect(s.max).toBeCloseTo(1000 ** 1.5, 9);
  });
  test('p999 only with at least 1,000 samples', () => {
    expect(summarize(sortSamples(Array.from({ length: 999 }, (_, i) => i)))).not.toHaveProperty('p999');
    expect(summarize(sortSamples(Array.from({ length: 1000 }, (_, i) => i)))).toHaveProperty('p999');
  });
});

describe('relativeMargin', () => {
  test('half width over the estimate', () => {
    expect(relativeMargin({ low: 9, estimate: 10, high: 12 })).toBeCloseTo(0.15, 15);
    expect(relativeMargin({ low: 0, estimate: 0, high: 0 })).toBe(0);
    expect(relativeMargin({ low: 1, estimate: 2, high: Infinity })).toBe(1);
  });
});

describe('Reservoir', () => {
  test('bounded: never holds more than its capacity, counts everything seen', () => {
    const r = new Reservoir(50, mulberry32(1));
    for (let i = 0; i < 100_000; i++) r.push(i);
    expect(r.values).toHaveLength(50);
    expect(r.seen).toBe(100_000);
    expect(new Set(r.values).size).toBe(50);
  });

  test('keeps everything while under capacity', () => {
    const r = new Reservoir(10);
    for (let i = 0; i < 7; i++) r.push(i);
    expect(r.values).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test('uniform: every part of the stream is kept equally often (seeded)', () => {
    const rand = mulberry32(20251201);
    const capacity = 100;
    const streamLength = 1000;
    const reps = 1000;
    const buckets = new Array<number>(10).fill(0);
    let first = 0;
    let last = 0;
    for (let rep = 0; rep < reps; rep++) {
      const r = new Reservoir(capacity, rand);
      for (let i = 0; i < streamLength; i++) r.push(i);
      for (const v of r.values) {
        buckets[Math.floor(v / 100)]++;
        if (v === 0) first++;
        if (v === streamLength - 1) last++;
      }
    }
    // Each value is kept with probability capacity / streamLength = 0.1.
    const perBucket = reps * capacity * 0.1; // 10,000, sd ≈ 95
    for (const count of buckets) expect(Math.abs(count - perBucket) / perBucket).toBeLessThan(0.05); // ≈ 5 sd
    const perValue = reps * 0.1; // 100, sd ≈ 9.5
    expect(Math.abs(first - perValue) / perValue).toBeLessThan(0.4); // ≈ 4 sd
    expect(Math.abs(last - perValue) / perValue).toBeLessThan(0.4);
  });
});
