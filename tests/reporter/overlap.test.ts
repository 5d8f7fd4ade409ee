import { findOverlaps } from '../../src/reporter/overlap';

type Span = { ref: string; startedAt: number; endedAt: number; pid: number; worker: string };

function span(ref: string, startedAt: number, endedAt: number, worker: number): Span {
  return { ref, startedAt, endedAt, pid: 1000 + worker, worker: String(worker) };
}

/** The definition, pair by pair. */
function bruteForce(spans: Span[]): string[] {
  const hit = new Set<string>();
  for (const a of spans) {
    for (const b of spans) {
      if (a === b || a.pid === b.pid) continue;
      if (a.startedAt < b.endedAt && b.startedAt < a.endedAt) hit.add(a.ref);
    }
  }
  return [...hit].sort();
}

describe('findOverlaps', () => {
  test('one worker never overlaps itself', () => {
    expect(findOverlaps([span('a', 0, 10, 1), span('b', 5, 15, 1)]).records).toEqual([]);
  });

  test('two workers measuring at once both overlap; touching ends do not', () => {
    const r = findOverlaps([span('a', 0, 10, 1), span('b', 5, 15, 2), span('c', 15, 20, 1), span('d', 30, 40, 2)]);
    expect(r.records.sort()).toEqual(['a', 'b']);
    expect(r.workers).toEqual(['1001:1', '1002:2']);
  });

  test('a short span inside a long one from another worker', () => {
    expect(findOverlaps([span('long', 0, 100, 1), span('x', 10, 11, 1), span('short', 50, 51, 2)]).records.sort()).toEqual(['long', 'short']);
  });

  test('matches the pairwise definition on random spans', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 50; trial++) {
      const spans: Span[] = [];
      for (let i = 0; i < 40; i++) {
        const start = Math.floor(random() * 1000);
        spans.push(span(`r${i}`, start, start + 1 + Math.floor(random() * 60), 1 + Math.floor(random() * 3)));
      }
      expect(findOverlaps(spans).records.sort()).toEqual(bruteForce(spans));
    }
  });
});
