import { displayWidth, fitWidths, renderTable, wrap } from '../../src/units/table';

const LONG = 'naive_vs_global/naive_per_call_runtime_creation_with_a_really_long_suffix';

describe('displayWidth', () => {
  test('ANSI codes take none, CJK two, combining marks none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('起動')).toBe(4);
    expect(displayWidth('\u001b[31mred\u001b[39m')).toBe(3);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('µs ≤ — ×')).toBe(8);
  });

  test('emoji take two columns, including the transport block U+1F680–1F6FF', () => {
    expect(displayWidth('🚀')).toBe(2);
    expect(displayWidth('🛑 stop')).toBe(7);
    expect(displayWidth('👍🏽')).toBe(2);
    expect(displayWidth('👩‍💻')).toBe(2);
  });
});

describe('wrap', () => {
  test('at spaces first, then after separators, then inside a word; never past the width', () => {
    expect(wrap('execute overhead simple', 10)).toEqual(['execute', 'overhead', 'simple']);
    expect(wrap('naive_vs_global/naive', 12)).toEqual(['naive_vs_', 'global/naive']);
    expect(wrap('naive_vs_global/naive', 11)).toEqual(['naive_vs_', 'global/', 'naive']);
    expect(wrap('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrap('a\nb', 5)).toEqual(['a', 'b']);
    for (const w of [1, 3, 7, 11]) for (const l of wrap(LONG, w)) expect([...l].length).toBeLessThanOrEqual(w);
    for (const l of wrap('起動時間の測定', 5)) expect(displayWidth(l)).toBeLessThanOrEqual(5);
    expect(wrap('起動時間の測定', 5).join('')).toBe('起動時間の測定');
    expect(wrap(LONG, 7).join('')).toBe(LONG);
  });
});

describe('fitWidths', () => {
  test('natural widths when they fit; flexible columns shrink, by priority, down to their minimum', () => {
    const cols = [{ header: 'A' }, { header: 'B', flex: [{ min: 6, priority: 0 }, { min: 2, priority: 2 }] }, { header: 'C', flex: [{ min: 3, priority: 1 }] }];
    const cells = [['aaaa', 'bbbbbbbbbb', 'cccccc']];
    expect(fitWidths(cols, cells, 100)).toEqual([4, 10, 6]);
    expect(fitWidths(cols, cells, 4 + 8 + 6 + 4)).toEqual([4, 8, 6]);
    // B stops at 6, then C gives way to 3, then B goes on down.
    expect(fitWidths(cols, cells, 4 + 6 + 4 + 4)).toEqual([4, 6, 4]);
    expect(fitWidths(cols, cells, 4 + 4 + 3 + 4)).toEqual([4, 4, 3]);
    expect(fitWidths(cols, cells, 10)).toEqual([4, 2, 3]);
  });
});

describe('renderTable', () => {
  test('a 🚀 cell keeps the next column aligned', () => {
    const cols = [{ header: 'name' }, { header: 'v' }];
    const rows = [[{ text: '🚀 launch' }, { text: '1' }], [{ text: 'plain' }, { text: '2' }]];
    const text = renderTable(cols, rows, fitWidths(cols, rows.map((r) => r.map((c) => c.text)), 80), (s) => s);
    const starts = text.split('\n').map((l) => displayWidth(l) - 1);
    expect(new Set(starts).size).toBe(1);
  });
});
