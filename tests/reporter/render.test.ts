import { colorEnabled, MIN_WIDTH, render } from '../../src/reporter/render';
import type { SloReport } from '../../src/reporter/report';
import type { SloRow } from '../../src/reporter/rows';
import { displayWidth } from '../../src/units/table';

const ANSI = /\u001b\[[0-9;]*m/g;
const visible = (s: string): number => [...s.replace(ANSI, '')].length;

function row(over: Partial<SloRow> & { slo: string }): SloRow {
  return {
    tier: 'must',
    declared: false,
    verdict: 'PASS',
    inconclusive: false,
    decidingRecord: null,
    records: [],
    matcher: 'toRunUnder',
    stat: 'p50',
    unit: 'ns',
    direction: 'lower',
    target: 10_000,
    noGo: 100_000,
    targetText: '10us',
    noGoText: '100us',
    measured: { low: 8.2, estimate: 8.5, high: 8.8 },
    samples: 3000,
    batch: 1000,
    noise: 0.035,
    tests: [],
    testStatus: 'passed',
    overlapped: false,
    notes: [],
    ...over,
  };
}

const LONG = 'naive_vs_global/naive_per_call_runtime_creation_with_a_really_long_suffix';

function report(rows: SloRow[]): SloReport {
  return {
    rows,
    records: [],
    decision: { verdict: 'NO-GO', failsRun: true, failOn: 'no-go', reasons: ['MUST row "x" not measured (MISSING)'], counts: {} as never, line: 'Decision: NO-GO — MUST 1/4 pass, 1 fail, 1 missing; SHOULD 0/1; NICE 0/0' },
    problems: { configErrors: [], badLines: [], overlap: { detected: false, records: [], workers: [], message: null } },
    run: { ranFiles: 2, totalFiles: 2, complete: true, failedToRun: [], interrupted: false, shard: null },
  } as unknown as SloReport;
}

const ROWS = [
  row({ slo: 'execute_baseline/simple_return' }),
  row({ slo: LONG, unit: 'x', direction: 'higher', target: 1000, noGo: 100, measured: { low: 1_788_235, estimate: 1_800_000, high: 1_900_000 }, verdict: 'FAIL', testStatus: 'failed' }),
  row({ slo: 'memory under load with many words in its name', tier: 'should', unit: 'bytes', target: 10e6, noGo: 10e6, measured: { low: 4.2e6, estimate: 5e6, high: 5.5e6 }, verdict: 'WARN', notes: ['inconclusive: …'] }),
  row({ slo: 'startup', verdict: 'MISSING', unit: null, direction: null, target: null, noGo: null, targetText: '100ms', noGoText: '500ms', measured: null, samples: null, testStatus: null, notes: ['declared in slos, but no test measured it'] }),
];

describe('render', () => {
  test.each([80, 100, MIN_WIDTH])('every line fits %i columns, long names wrap and nothing is lost', (width) => {
    const text = render(report(ROWS), { width, color: false, verbose: false, cwd: '/' });
    for (const line of text.split('\n')) expect(visible(line)).toBeLessThanOrEqual(width);
    // Wrapped cells interleave with their neighbours: look for every piece.
    expect(text.replace(/\s+/g, '')).toContain(LONG);
    for (const piece of ['[1,788,235x', '1,800,000x', '1,900,000x]']) expect(text).toContain(piece);
  });

  test('narrower than the minimum: laid out at the minimum', () => {
    const text = render(report(ROWS), { width: 20, color: false, verbose: true, cwd: '/' });
    for (const line of text.split('\n')) expect(visible(line)).toBeLessThanOrEqual(MIN_WIDTH);
  });

  test('columns stay aligned: the verdict of every row starts in the same column', () => {
    const text = render(report(ROWS), { width: 80, color: true, verbose: false, cwd: '/' }).replace(ANSI, '');
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('Tier'));
    const at = header?.indexOf('Verdict') ?? -1;
    expect(at).toBeGreaterThan(0);
    const verdicts = lines.filter((l) => /^(MUST|SHOULD|NICE)\s/.test(l)).map((l) => l.slice(at).trim());
    expect(verdicts).toEqual(['PASS', 'FAIL', 'WARN', 'MISSING']);
  });

  test('cells: target and NO-GO lines by direction, declared lines formatted, dashes for nothing', () => {
    const text = render(report(ROWS), { width: 200, color: false, verbose: false, cwd: '/' });
    expect(text).toMatch(/^MUST\s+execute_baseline\/simple_return\s+≤10µs\s+>100µs\s+\[8\.2ns 8\.5ns 8\.8ns\]\s+3000\s+PASS$/m);
    expect(text).toMatch(/≥1,000x\s+<100x\s+\[1,788,235x 1,800,000x 1,900,000x\]/);
    expect(text).toMatch(/^MUST\s+startup\s+≤100ms\s+>500ms\s+—\s+—\s+MISSING$/m);
    expect(text).toMatch(/^SHOULD\s+memory under load with many words in its name\s+≤10MB\s+—\s+\[4\.2MB 5MB 5\.5MB\]/m);
    expect(text).toMatch(/\(test failed\)/);
  });

  test('notes explain every row that is not a clean PASS', () => {
    const text = render(report(ROWS), { width: 80, color: false, verbose: false, cwd: '/' });
    expect(text).toMatch(/^startup: MISSING\n {4}- declared in slos, but no test measured it$/m);
    expect(text).toMatch(/^memory under load with many words in its name: WARN\n {4}- inconclusive: …$/m);
    expect(text).not.toMatch(/^execute_baseline\/simple_return: PASS/m);
  });

  test('colour only when asked; verdicts are words either way', () => {
    const plain = render(report(ROWS), { width: 80, color: false, verbose: false, cwd: '/' });
    expect(plain).not.toMatch(ANSI);
    const coloured = render(report(ROWS), { width: 80, color: true, verbose: false, cwd: '/' });
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(ANSI, '')).toBe(plain);
  });

  test('a long decision line wraps under itself', () => {
    const text = render(report(ROWS), { width: MIN_WIDTH, color: false, verbose: false, cwd: '/' });
    expect(text).toMatch(/^Decision: NO-GO — MUST 1\/4 pass, 1 fail, 1 missing; SHOULD\n {2}0\/1; NICE 0\/0$/m);
  });

  test('the decision line, its reasons and whether the run fails', () => {
    const text = render(report(ROWS), { width: 80, color: false, verbose: false, cwd: '/', reportFile: '/out/slo-report/report.json' });
    expect(text).toMatch(/^Decision: NO-GO — MUST 1\/4 pass, 1 fail, 1 missing; SHOULD 0\/1; NICE 0\/0\n {2}- MUST row "x" not measured \(MISSING\)\n {2}rt-slo-reporter fails the run \(failOn: 'no-go'\)\.\nReport: out\/slo-report\/report.json\n$/m);
  });
});

describe('wide characters', () => {
  test('a CJK or emoji name takes two columns a character, and the columns stay aligned', () => {
    const rows = [row({ slo: '起動時間の測定をする長い名前のテスト' }), row({ slo: '🚀 launch' }), row({ slo: 'plain' })];
    const text = render(report(rows), { width: 80, color: false, verbose: false, cwd: '/' });
    const lines = text.split('\n');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    const header = lines.find((l) => l.startsWith('Tier')) ?? '';
    const at = displayWidth(header.slice(0, header.indexOf('Target')));
    const starts = lines.filter((l) => /^MUST\s/.test(l)).map((l) => {
      const i = l.indexOf('≤10µs');
      return displayWidth(l.slice(0, i));
    });
    expect(starts).toEqual([at, at, at]);
  });
});

describe('colorEnabled', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  test.each([
    ['a terminal', tty, {}, [], true],
    ['a pipe', pipe, {}, [], false],
    ['NO_COLOR', tty, { NO_COLOR: '1' }, [], false],
    ['--no-color', tty, {}, ['--no-color'], false],
    ['--colors=false', tty, {}, ['--colors=false'], false],
    ['FORCE_COLOR on a pipe', pipe, { FORCE_COLOR: '1' }, [], true],
    ['FORCE_COLOR=0 on a terminal', tty, { FORCE_COLOR: '0' }, [], false],
    ['--colors on a pipe', pipe, {}, ['--colors'], true],
    ['a CI log', pipe, { CI: 'true' }, [], true],
    ['TERM=dumb', tty, { TERM: 'dumb' }, [], false],
  ] as const)('%s', (_name, stream, env, argv, expected) => {
    expect(colorEnabled(stream, env as NodeJS.ProcessEnv, argv)).toBe(expected);
  });
});
