/**
 * Rows: one per SLO name. Records with the same `slo` are combined (the worst verdict decides);
 * declared rows that nobody measured are MISSING; declarations and records that disagree are
 * configuration errors.
 */
import type { SloDeclaration, SloDeclarations } from '../declarations';
import { TIERS, type Direction, type Interval, type SloRecord, type Tier, type Unit } from '../types';
import type { CollectedRecord } from './collect';
import { parseBytes } from '../units/bytes';
import { parseDuration } from '../units/duration';
import { formatInterval, formatValue } from '../units/format';
import { STATUS_ORDER, type TestIndex, type TestRef, type TestStatus } from './results';
import { recordRowVerdict, ROW_VERDICT_ORDER, worseRow, type RowVerdict } from '../verdict';

// The verdict rules live in src/verdict.ts; re-exported for the reporter's importers.
export { ROW_VERDICT_ORDER, recordRowVerdict, type RowVerdict } from '../verdict';

export interface SloRow {
  slo: string;
  tier: Tier;
  /** Declared in the reporter's `slos` option. */
  declared: boolean;
  description?: string;
  verdict: RowVerdict;
  /** The deciding measurement's interval still straddled a line when its time ran out. */
  inconclusive: boolean;
  /** `ref` of the record that decided the verdict (the first with the worst verdict), if any. */
  decidingRecord: string | null;
  /** `ref`s of every record of this row, in time order. */
  records: string[];
  matcher: string | null;
  stat: string | null;
  unit: Unit | null;
  direction: Direction | null;
  /** Lines in `unit` (from the deciding record), or null for a row nobody measured. */
  target: number | null;
  noGo: number | null;
  /** The lines as the user wrote them (matcher arguments, or the declaration). */
  targetText: string | null;
  noGoText: string | null;
  measured: Interval | null;
  samples: number | null;
  batch: number | null;
  noise: number | null;
  /** The tests that measured this row (or, for a MISSING row, the tests named after it). */
  tests: TestRef[];
  /** The worst of the tests' statuses, or null when no test is known. */
  testStatus: TestStatus | null;
  /** Measured while a measurement in another Jest worker ran: the numbers are disturbed. */
  overlapped: boolean;
  /** Why the row is what it is, in sentences: missing reasons, errors, inconclusive, repeats. */
  notes: string[];
}

export interface ConfigError {
  slo: string;
  message: string;
  /** `ref` of the record in conflict. */
  record?: string;
}

export interface Rows {
  rows: SloRow[];
  configErrors: ConfigError[];
}

function worstStatus(tests: TestRef[]): TestStatus | null {
  let worst: TestStatus | null = null;
  for (const t of tests) if (worst === null || STATUS_ORDER.indexOf(t.status) < STATUS_ORDER.indexOf(worst)) worst = t.status;
  return worst;
}

/** Relative tolerance when comparing a declared line with a recorded one (float round-trips). */
const SAME_TOLERANCE = 1e-9;

function same(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= SAME_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/** A declared line in a record's unit, when that unit has a parser; undefined otherwise. */
function declaredInUnit(value: string | number, unit: Unit): number | undefined {
  try {
    if (unit === 'ns') return parseDuration(value);
    if (unit === 'bytes') return parseBytes(value);
  } catch {
    return undefined;
  }
  return undefined;
}

function where(r: SloRecord): string {
  const file = r.testPath ? r.testPath.split(/[\\/]/).pop() : '(unknown file)';
  return `${file} › ${r.testName || '(no test)'}`;
}

/** Checks one record against its row's declaration. */
function declarationConflicts(slo: string, decl: SloDeclaration, r: CollectedRecord): ConfigError[] {
  const errors: ConfigError[] = [];
  const err = (message: string): void => {
    errors.push({ slo, message, record: r.ref });
  };
  if (r.tier !== decl.tier) err(`SLO ${JSON.stringify(slo)} is declared tier '${decl.tier}' in the reporter's slos option, but ${where(r)} measured it as tier '${r.tier}'`);
  // A `.not` claim is judged against the target alone; its recorded lines are not the declared ones.
  if (r.negated || r.verdict === 'ERROR') return errors;
  for (const line of ['target', 'noGo'] as const) {
    const declaredValue = decl[line];
    const recorded = r[line];
    if (declaredValue === undefined || typeof recorded !== 'number') continue;
    const parsed = declaredInUnit(declaredValue, r.unit);
    if (parsed !== undefined && !same(parsed, recorded)) {
      err(`SLO ${JSON.stringify(slo)} is declared with ${line} ${JSON.stringify(declaredValue)}, but ${where(r)} measured it against ${JSON.stringify(line === 'target' ? r.targetText : r.noGoText)}`);
    }
  }
  return errors;
}

function emptyRow(slo: string, tier: Tier, decl: SloDeclaration | undefined): SloRow {
  return {
    slo,
    tier,
    declared: decl !== undefined,
    description: decl?.description,
    verdict: 'MISSING',
    inconclusive: false,
    decidingRecord: null,
    records: [],
    matcher: null,
    stat: null,
    unit: null,
    direction: null,
    target: null,
    noGo: null,
    targetText: decl?.target === undefined ? null : String(decl.target),
    noGoText: decl?.noGo === undefined ? null : String(decl.noGo),
    measured: null,
    samples: null,
    batch: null,
    noise: null,
    tests: [],
    testStatus: null,
    overlapped: false,
    notes: [],
  };
}

function finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Why a measured row is WARN or FAIL, with its numbers: `p50 [..] is above the target 50µs …`. */
function verdictNote(r: SloRecord): string | undefined {
  if ((r.verdict !== 'WARN' && r.verdict !== 'FAIL') || !finite(r.target) || !finite(r.noGo) || !finite(r.estimate)) return undefined;
  const value = finite(r.low) && finite(r.high) ? formatInterval({ low: r.low, estimate: r.estimate, high: r.high }, r.unit) : formatValue(r.estimate, r.unit);
  const side = r.direction === 'lower' ? 'above' : 'below';
  const measured = `${r.stat} ${value}`;
  if (r.verdict === 'FAIL') return `${measured} is ${side} the NO-GO limit ${formatValue(r.noGo, r.unit)} (target ${formatValue(r.target, r.unit)})`;
  return `${measured} is ${side} the target ${formatValue(r.target, r.unit)}, within the NO-GO limit ${formatValue(r.noGo, r.unit)}`;
}

/** Describes the tests of a row that was declared but never measured. */
function missingNotes(tests: TestRef[], crashedFiles: number): string[] {
  if (tests.length === 0) {
    const lost = crashedFiles > 0 ? `; ${crashedFiles} test file${crashedFiles === 1 ? '' : 's'} failed to run, so its test may be in one of them` : '';
    return [`declared in slos, but no test measured it${lost}`];
  }
  return tests.map((t) => {
    switch (t.status) {
      case 'failed':
        return `its test failed before measuring${t.reason ? `: ${t.reason}` : ''}`;
      case 'crashed':
        return `its test file failed to run${t.reason ? `: ${t.reason}` : ''}`;
      case 'skipped':
      case 'todo':
        return `its test was ${t.status === 'todo' ? 'a todo' : 'skipped'}`;
      default:
        return 'its test ran but did not measure it (is the matcher awaited, and its slo spelled the same?)';
    }
  });
}

/** The tests that wrote a row's records, each once, in record order. */
function testsOf(list: readonly CollectedRecord[], tests: TestIndex): TestRef[] {
  const seen = new Map<string, TestRef>();
  for (const r of list) {
    const ref = tests.lookup(r.testPath, r.testName);
    const k = `${ref.testPath}\u0000${ref.testName}`;
    if (!seen.has(k)) seen.set(k, ref);
  }
  return [...seen.values()];
}

/** `toRunUnder (ns)`: what a record measures, to tell kinds apart. */
function kindOf(r: SloRecord): string {
  return `${r.matcher} (${r.unit})`;
}

/** Why one SLO name cannot be one row: its records come from different matchers or units. */
function mixedKinds(slo: string, list: readonly CollectedRecord[]): string | undefined {
  const kinds = [...new Set(list.map(kindOf))];
  if (kinds.length < 2) return undefined;
  const first = new Map<string, CollectedRecord>();
  for (const r of list) if (!first.has(kindOf(r))) first.set(kindOf(r), r);
  const parts = kinds.map((k) => `${k} in ${where(first.get(k) as SloRecord)}`);
  return `SLO ${JSON.stringify(slo)} is measured by ${parts.join(' and ')}: one row compares one quantity, so these are not merged; give each measurement its own slo name`;
}

/** One record in a sentence: matcher, value, verdict and where, for rows that cannot combine them. */
function recordSummary(r: SloRecord): string {
  const value = r.verdict === 'ERROR' ? `ERROR: ${r.error ?? 'unknown error'}` : `${r.stat} ${finite(r.low) && finite(r.high) ? formatInterval({ low: r.low, estimate: r.estimate, high: r.high }, r.unit) : formatValue(r.estimate, r.unit)} → ${r.verdict}`;
  return `${r.matcher} ${value} (target ${r.targetText}) in ${where(r)}`;
}

/**
 * Builds the matrix rows from records, declarations and Jest's results. Row order: tier
 * (MUST first), then declared rows in declaration order, then other rows by name.
 */
export function buildRows(records: readonly CollectedRecord[], decls: SloDeclarations, tests: TestIndex, overlapped: ReadonlySet<string> = new Set()): Rows {
  const configErrors: ConfigError[] = [];
  const bySlo = new Map<string, CollectedRecord[]>();
  // Time order within a row; sorting an already sorted array is linear.
  for (const r of [...records].sort((a, b) => a.startedAt - b.startedAt)) {
    const list = bySlo.get(r.slo) ?? [];
    list.push(r);
    bySlo.set(r.slo, list);
  }
  const names = [...Object.keys(decls), ...[...bySlo.keys()].filter((n) => !Object.prototype.hasOwnProperty.call(decls, n)).sort()];
  const rows: SloRow[] = [];
  for (const slo of names) {
    const decl = Object.prototype.hasOwnProperty.call(decls, slo) ? decls[slo] : undefined;
    const list = bySlo.get(slo) ?? [];
    let tier: Tier = decl?.tier ?? list[0]?.tier ?? 'must';
    if (decl) {
      for (const r of list) configErrors.push(...declarationConflicts(slo, decl, r));
    } else {
      const tiers = new Set(list.map((r) => r.tier));
      if (tiers.size > 1) {
        // The strictest tier stands, so a conflict can never soften the decision.
        tier = TIERS.find((t) => tiers.has(t)) ?? tier;
        configErrors.push({ slo, message: `SLO ${JSON.stringify(slo)} is measured with different tiers (${[...tiers].map((t) => `'${t}'`).join(', ')}); give it one tier, or declare it in the reporter's slos option` });
      }
    }
    const row = emptyRow(slo, tier, decl);
    const mixed = mixedKinds(slo, list);
    if (mixed) {
      // Numbers of different quantities cannot be combined: the row shows each record and why.
      configErrors.push({ slo, message: mixed, record: list[list.length - 1].ref });
      row.verdict = 'ERROR';
      row.records = list.map((r) => r.ref);
      row.notes.push(mixed);
      for (const r of list) row.notes.push(recordSummary(r));
      row.tests = testsOf(list, tests);
      row.testStatus = worstStatus(row.tests);
      row.overlapped = list.some((r) => overlapped.has(r.ref));
      rows.push(row);
      continue;
    }
    if (list.length === 0) {
      row.tests = tests.named(slo);
      row.testStatus = worstStatus(row.tests);
      row.notes.push(...missingNotes(row.tests, tests.crashed().length));
      rows.push(row);
      continue;
    }
    let deciding = list[0];
    let verdict = recordRowVerdict(deciding);
    for (const r of list) {
      const v = recordRowVerdict(r);
      if (worseRow(v, verdict)) {
        verdict = v;
        deciding = r;
      }
    }
    row.tests = testsOf(list, tests);
    Object.assign(row, {
      verdict,
      inconclusive: deciding.inconclusive,
      decidingRecord: deciding.ref,
      records: list.map((r) => r.ref),
      matcher: deciding.matcher,
      stat: deciding.stat,
      unit: deciding.unit,
      direction: deciding.direction,
      target: deciding.target,
      noGo: deciding.noGo,
      targetText: deciding.targetText,
      noGoText: deciding.noGoText,
      measured: deciding.verdict === 'ERROR' ? null : { low: deciding.low, estimate: deciding.estimate, high: deciding.high },
      samples: deciding.verdict === 'ERROR' ? null : deciding.samples,
      batch: deciding.verdict === 'ERROR' ? null : deciding.batch,
      noise: deciding.verdict === 'ERROR' ? null : deciding.noise,
      testStatus: worstStatus(row.tests),
      overlapped: list.some((r) => overlapped.has(r.ref)),
    });
    for (const r of list) if (r.verdict === 'ERROR') row.notes.push(`measurement failed in ${where(r)}: ${r.error ?? 'unknown error'}`);
    const why = verdictNote(deciding);
    if (why) row.notes.push(why);
    if (deciding.verdict === 'PASS' && deciding.inconclusive) row.notes.push('inconclusive: the point estimate passes but its 95% interval reaches past the target, so the row is WARN (a PASS needs evidence)');
    else if (deciding.inconclusive) row.notes.push(`inconclusive: the 95% interval still straddles a line; the verdict follows the point estimate`);
    if (list.length > 1) {
      const counts = new Map<RowVerdict, number>();
      for (const r of list) counts.set(recordRowVerdict(r), (counts.get(recordRowVerdict(r)) ?? 0) + 1);
      const parts = ROW_VERDICT_ORDER.filter((v) => counts.has(v)).map((v) => `${counts.get(v)} ${v}`);
      row.notes.push(`measured ${list.length} times (${parts.join(', ')}); the worst verdict decides`);
    }
    for (const t of row.tests) {
      if (t.status !== 'passed') row.notes.push(`test ${t.status}${t.reason ? ` (${t.reason})` : ''}: ${t.testName || '(no test name)'}`);
    }
    if (row.overlapped) row.notes.push('measured while another Jest worker was measuring: the numbers are disturbed (run with --runInBand)');
    rows.push(row);
  }
  const tierRank = (t: Tier): number => TIERS.indexOf(t);
  // Array.prototype.sort is stable: within a tier, the order above stands.
  rows.sort((a, b) => tierRank(a.tier) - tierRank(b.tier));
  return { rows, configErrors };
}
