/**
 * Render: the matrix as a terminal table, the notes that explain its rows, the problems of
 * the run, and the decision line. Plain text with optional colour; verdicts are always words.
 */
import path from 'node:path';
import pc from 'picocolors';
import type { SloRecord, Summary, Unit } from '../types';
import type { DecisionVerdict } from './decide';
import { parseDeclared } from './options';
import type { SloReport } from './report';
import type { RowVerdict, SloRow } from './rows';
import { formatInterval, formatRate, formatValue } from '../units/format';
import { displayWidth, fitWidths, GAP, renderTable, wrap, type Column, type RenderedCell } from '../units/table';

/** Narrowest layout we draw: below this even wrapped cells stop being readable. */
export const MIN_WIDTH = 60;
/** Width when the stream is not a terminal (CI logs, pipes). */
export const DEFAULT_WIDTH = 80;
/**
 * How the table gives way on a narrow terminal: SLO names wrap first, down to a width where
 * words still fit (18); then the measured interval wraps between its numbers (12: one number
 * a line); only then do names shrink further (10), breaking inside long words.
 */
const SLO_WRAP_WIDTH = 18;
const MEASURED_MIN_WIDTH = 12;
const SLO_MIN_WIDTH = 10;
/** Indent of detail and note lines under a row. */
const INDENT = '    ';
/** Width of a verbose detail label (`samples:`), so values line up as in Criterion. */
const LABEL_WIDTH = 10;
const NS_PER_S = 1e9;

export interface RenderOptions {
  /** Columns available (the terminal's, or 80). */
  width: number;
  color: boolean;
  verbose: boolean;
  /** Shown paths are relative to this folder. */
  cwd: string;
  /** Where report.json was written, or the error that stopped it. */
  reportFile?: string;
  reportError?: string;
}

type Colors = ReturnType<typeof pc.createColors>;

/**
 * Whether to colour a stream, as Jest does: NO_COLOR and --no-color turn colour off;
 * FORCE_COLOR and --color turn it on; otherwise colour only a terminal, or a CI log.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (argv.some((a) => a === '--no-color' || a === '--no-colors' || a === '--color=false' || a === '--colors=false')) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (argv.some((a) => a === '--color' || a === '--colors')) return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true || env.CI !== undefined;
}

function verdictStyle(c: Colors, v: RowVerdict): (s: string) => string {
  switch (v) {
    case 'PASS':
      return c.green;
    case 'WARN':
      return c.yellow;
    case 'FAIL':
      return (s) => c.bold(c.red(s));
    case 'MISSING':
      return (s) => c.bold(c.magenta(s));
    case 'ERROR':
      return (s) => c.bold(c.red(s));
  }
}

function decisionStyle(c: Colors, v: DecisionVerdict): (s: string) => string {
  switch (v) {
    case 'GO':
      return (s) => c.bold(c.green(s));
    case 'GO WITH WARNINGS':
    case 'NO DATA':
      return (s) => c.bold(c.yellow(s));
    case 'NO-GO':
      return (s) => c.bold(c.red(s));
  }
}

function isNum(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** A value in its unit, or a dash when JSON could not carry it. */
function value(x: number | null | undefined, unit: Unit): string {
  return isNum(x) ? formatValue(x, unit) : '—';
}

/** A declared line of a row nobody measured: formatted when its unit is plain, else as written. */
function declaredText(text: string | null, pass: boolean): string {
  if (text === null) return '—';
  const d = parseDeclared(text);
  if (!d) return text;
  const sign = d.better === 'lower' ? (pass ? '≤' : '>') : pass ? '≥' : '<';
  return `${sign}${formatValue(d.value, d.unit)}`;
}

/** `≤10µs` (lower is better) or `≥1,000x` (higher is better). */
export function targetCell(row: Pick<SloRow, 'target' | 'targetText' | 'unit' | 'direction'>): string {
  if (row.unit && row.direction && isNum(row.target)) return `${row.direction === 'lower' ? '≤' : '≥'}${formatValue(row.target, row.unit)}`;
  return declaredText(row.targetText, true);
}

/** `>100µs` / `<100x`: where FAIL begins. A dash when the limit is the target itself. */
export function noGoCell(row: Pick<SloRow, 'target' | 'noGo' | 'noGoText' | 'unit' | 'direction'>): string {
  if (row.unit && row.direction && isNum(row.noGo)) {
    if (row.noGo === row.target) return '—';
    return `${row.direction === 'lower' ? '>' : '<'}${formatValue(row.noGo, row.unit)}`;
  }
  return declaredText(row.noGoText, false);
}

export function measuredCell(row: Pick<SloRow, 'measured' | 'unit'>): string {
  const m = row.measured;
  if (!m || !row.unit) return '—';
  if (isNum(m.low) && isNum(m.estimate) && isNum(m.high)) return formatInterval(m, row.unit);
  return value(m.estimate, row.unit);
}

function relative(cwd: string, file: string): string {
  if (!file) return '(unknown file)';
  const rel = path.relative(cwd, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

/** Lines of `text` wrapped to `width`, the first after `first`, the rest after `rest`. */
function hanging(text: string, width: number, first: string, rest: string): string[] {
  const lines = wrap(text, Math.max(1, width - displayWidth(first)));
  return lines.map((l, i) => `${i === 0 ? first : rest}${l}`);
}

const COLUMNS: Column[] = [
  { header: 'Tier' },
  { header: 'SLO', flex: [{ min: SLO_WRAP_WIDTH, priority: 0 }, { min: SLO_MIN_WIDTH, priority: 2 }] },
  { header: 'Target' },
  { header: 'NO-GO' },
  { header: 'Measured [low est high]', flex: [{ min: MEASURED_MIN_WIDTH, priority: 1 }] },
  { header: 'Samples' },
  { header: 'Verdict' },
];

/** Column of the samples count: the one dropped when even the narrowest layout does not fit. */
const SAMPLES_COLUMN = 5;

function tableText(rows: readonly SloRow[], width: number, c: Colors): string {
  let cells = rows.map((r) => [
    r.tier.toUpperCase(),
    r.testStatus && r.testStatus !== 'passed' ? `${r.slo}\n(test ${r.testStatus})` : r.slo,
    targetCell(r),
    noGoCell(r),
    measuredCell(r),
    isNum(r.samples) && r.samples > 0 ? String(r.samples) : '—',
    r.verdict,
  ]);
  let columns = COLUMNS.map((col) => ({ ...col }));
  const total = (w: number[]): number => w.reduce((a, b) => a + b, 0) + GAP * (w.length - 1);
  let widths = fitWidths(columns, cells, width);
  // The long header of the measured column gives way before the SLO names or numbers wrap.
  const sloNatural = Math.max(...cells.map((r) => Math.max(...r[1].split('\n').map(displayWidth))), columns[1].header.length);
  if (widths[1] < sloNatural || widths[4] < columns[4].header.length) {
    columns[4].header = 'Measured\n[low est high]';
    widths = fitWidths(columns, cells, width);
  }
  // Narrower than 80 columns, samples give way (they stay in --verbose and report.json).
  if (total(widths) > width) {
    columns = columns.filter((_, j) => j !== SAMPLES_COLUMN);
    cells = cells.map((r) => r.filter((_, j) => j !== SAMPLES_COLUMN));
    widths = fitWidths(columns, cells, width);
  }
  const verdictColumn = columns.length - 1;
  const styled: RenderedCell[][] = cells.map((row, i) =>
    row.map((text, j) => {
      if (j === verdictColumn) return { text, style: verdictStyle(c, rows[i].verdict) };
      if (j === 0 && rows[i].tier === 'must') return { text, style: c.bold };
      return { text };
    }),
  );
  return renderTable(columns, styled, widths, c.dim);
}

function unitLabel(unit: Unit, stat: string | null): string {
  if (unit === 'ns') return 'time:';
  return `${stat ?? 'value'}:`;
}

function summaryText(s: Summary, unit: Unit): string {
  const parts = [`min ${value(s.min, unit)}`, `p50 ${value(s.p50, unit)}`, `p75 ${value(s.p75, unit)}`, `p99 ${value(s.p99, unit)}`];
  if (s.p999 !== undefined) parts.push(`p99.9 ${value(s.p999, unit)}`);
  parts.push(`max ${value(s.max, unit)}`, `mean ${value(s.mean, unit)} ± ${value(s.sd, unit)} sd`);
  return parts.join('  ');
}

/** Criterion-style detail of one row: interval, throughput, samples × batch, noise, tests, notes. */
function verboseBlock(row: SloRow, record: Omit<SloRecord, 'env'> | undefined, width: number, c: Colors, cwd: string): string[] {
  const out: string[] = [];
  const head = hanging(row.slo, width - row.verdict.length - 2, `${row.tier.toUpperCase()}  `, '  ');
  const last = head.length - 1;
  out.push(...head.map((l, i) => (i === last ? `${c.bold(l)}  ${verdictStyle(c, row.verdict)(row.verdict)}` : c.bold(l))));
  if (row.description) out.push(...hanging(row.description, width, INDENT, INDENT).map((l) => c.dim(l)));
  const label = (l: string, text: string, style: (s: string) => string = (s) => s): void => {
    const first = `${INDENT}${l.padEnd(LABEL_WIDTH)}`;
    for (const line of hanging(text, width, first, ' '.repeat(first.length))) out.push(style(line));
  };
  if (row.unit && row.measured) {
    label(unitLabel(row.unit, row.stat), `${measuredCell(row)}  ${row.stat ? `${row.stat}, ` : ''}95% CI`);
    const m = row.measured;
    if (row.unit === 'ns' && isNum(m.low) && isNum(m.high) && m.low > 0) {
      label('thrpt:', `[${formatRate(NS_PER_S / m.high)} ${formatRate(NS_PER_S / m.estimate)} ${formatRate(NS_PER_S / m.low)}] calls/s`);
    }
    if (isNum(row.samples)) {
      const batch = isNum(row.batch) && row.batch > 0 ? ` × ${row.batch} call${row.batch === 1 ? '' : 's'}` : '';
      const noise = isNum(row.noise) ? `, noise ±${(row.noise * 100).toFixed(1)}%` : '';
      label('samples:', `${row.samples}${batch}${noise}`);
    }
    if (record?.summary && row.unit) label('stats:', summaryText(record.summary, row.unit));
  }
  const limit = noGoCell(row);
  label('target:', `${targetCell(row)}${limit === '—' ? '' : `  NO-GO ${limit}`}${row.matcher ? `  (${row.matcher}${record?.negated ? ', .not' : ''})` : ''}`);
  for (const t of row.tests) {
    const status = t.status === 'passed' ? c.green(t.status) : c.yellow(t.status);
    const first = `${INDENT}${'test:'.padEnd(LABEL_WIDTH)}`;
    const text = `${relative(cwd, t.testPath)} › ${t.testName || '(no test name)'}`;
    const lines = hanging(text, width - t.status.length - 1, first, ' '.repeat(first.length));
    lines[0] = lines[0].replace(first, `${first}${status} `);
    out.push(...lines);
  }
  for (const n of [...(record?.notes ?? []), ...row.notes]) label('note:', n, c.dim);
  return out;
}

/** Rows whose notes a reader needs without --verbose: not a PASS, or its test did not pass. Overlaps have their own warning. */
function needsNote(row: SloRow): boolean {
  return row.verdict !== 'PASS' || (row.testStatus !== null && row.testStatus !== 'passed');
}

/** The whole report as terminal text. */
export function render(report: SloReport, opts: RenderOptions): string {
  const c = pc.createColors(opts.color);
  const width = Math.max(MIN_WIDTH, Math.floor(opts.width));
  const { rows, decision, problems, run } = report;
  const out: string[] = [];
  const files = `${run.ranFiles} test file${run.ranFiles === 1 ? '' : 's'}`;
  const shard = run.shard ? `, shard ${run.shard.index}/${run.shard.count}` : '';
  const title = 'SLO decision matrix';
  const subtitle = `(rt-slo-reporter: ${rows.length} SLO${rows.length === 1 ? '' : 's'}, ${report.records.length} measurement${report.records.length === 1 ? '' : 's'}, ${files}${shard})`;
  out.push('');
  if (title.length + 1 + subtitle.length <= width) out.push(`${c.bold(title)} ${c.dim(subtitle)}`);
  else out.push(c.bold(title), ...wrap(subtitle, width).map((l) => c.dim(l)));
  out.push('');
  if (rows.length > 0) out.push(tableText(rows, width, c));
  else out.push(...hanging("No SLO rows: no test measured an SLO (are the matchers awaited, and is setupFilesAfterEnv set?) and none is declared in the reporter's slos option.", width, '', ''));

  const byRef = new Map(report.records.map((r) => [r.ref, r] as const));
  if (opts.verbose) {
    for (const row of rows) out.push('', ...verboseBlock(row, row.decidingRecord ? byRef.get(row.decidingRecord) : undefined, width, c, opts.cwd));
  } else {
    const noted = rows.filter(needsNote);
    if (noted.length > 0) out.push('');
    for (const row of noted) {
      const notes = row.notes.length > 0 ? row.notes : ['see report.json'];
      out.push(...hanging(`${row.slo}: ${row.verdict}`, width, '', '  '));
      for (const n of notes) out.push(...hanging(n, width, `${INDENT}- `, `${INDENT}  `).map((l) => c.dim(l)));
    }
  }

  if (problems.configErrors.length > 0) {
    out.push('', c.bold(c.red('Configuration errors (they fail the run):')));
    for (const e of problems.configErrors) out.push(...hanging(e.message, width, '  ✗ ', '    '));
  }
  if (problems.badLines.length > 0) {
    out.push('', c.bold(c.yellow(`Unreadable record lines (${problems.badLines.length}; every other line was read):`)));
    for (const b of problems.badLines) out.push(...hanging(`${path.basename(b.file)} line ${b.line}: ${b.reason}`, width, '  ! ', '    '));
  }
  if (problems.overlap.detected && problems.overlap.message) {
    const lines = hanging(`Warning: ${problems.overlap.message}`, width, '', '  ');
    out.push('', ...lines.map((l) => c.yellow(l)));
  }
  if (!run.complete) {
    const lost = run.failedToRun.length + Math.max(0, run.totalFiles - run.ranFiles);
    const text = `Incomplete run: ${lost} of ${run.totalFiles} test files did not finish${run.interrupted ? ' (interrupted)' : ''}; SLO rows they would have measured are lost (declared rows show as MISSING).`;
    out.push('', ...hanging(text, width, '', '  ').map((l) => c.yellow(l)));
    for (const f of run.failedToRun) out.push(...hanging(`${relative(opts.cwd, f.testPath)}: ${f.reason}`, width, '  ! ', '    '));
  }
  if (run.instrumented) out.push('', ...hanging('Coverage was on: figures measured on instrumented code, slower than real.', width, '', '  ').map((l) => c.yellow(l)));
  if (run.shard) out.push('', `This report covers shard ${run.shard.index}/${run.shard.count} only; the other shards have their own reports.`);

  out.push('', ...hanging(decision.line, width, '', '  ').map((l) => decisionStyle(c, decision.verdict)(l)));
  for (const r of decision.reasons) out.push(...hanging(r, width, '  - ', '    '));
  if (decision.failsRun) out.push(c.dim(`  rt-slo-reporter fails the run (failOn: '${decision.failOn}').`));
  if (opts.reportFile) out.push(c.dim(`Report: ${relative(opts.cwd, opts.reportFile)}`));
  if (opts.reportError) out.push(c.red(`Report not written: ${opts.reportError}`));
  return `${out.join('\n')}\n`;
}

