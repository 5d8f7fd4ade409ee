/**
 * Decide: the GO/NO-GO rule of the global-runtime benchmark plan applied to the rows, and whether the run fails.
 *
 * - NO-GO when any MUST row is FAIL, ERROR or MISSING, when the run is incomplete (a test file
 *   failed to run, so rows it would have measured may be lost: never GO by accident), or when a
 *   test in a file that measures SLOs failed or timed out before writing its record.
 * - GO when every MUST row is PASS.
 * - GO WITH WARNINGS otherwise (a MUST row WARN: over target within the NO-GO limit, or a
 *   PASS without evidence). SHOULD and NICE rows are shown and counted, and never decide.
 * - NO DATA when there is no row at all (nothing measured, nothing declared). It fails the run
 *   only when tests failed or a file failed to run: then the missing data is a symptom.
 */
import { TIERS, type Tier } from '../types';
import type { FailOn } from './options';
import type { Completeness } from './results';
import type { RowVerdict, SloRow } from './rows';
import { decidesRun, rowEffect } from '../verdict';

export type DecisionVerdict = 'GO' | 'GO WITH WARNINGS' | 'NO-GO' | 'NO DATA';

export interface TierCounts {
  total: number;
  pass: number;
  warn: number;
  fail: number;
  missing: number;
  /** Rows whose measurement could not be made (ERROR). */
  error: number;
}

export interface Decision {
  verdict: DecisionVerdict;
  /** Whether the reporter fails the run (Jest exits 1): the verdict under `failOn`, or a configuration error. */
  failsRun: boolean;
  failOn: FailOn;
  /** Why the verdict is what it is, one sentence each (empty for a plain GO). */
  reasons: string[];
  counts: Record<Tier, TierCounts>;
  /** `Decision: GO WITH WARNINGS — MUST 6/7 pass, 1 warn; SHOULD 2/3; NICE 1/3` */
  line: string;
}

export interface DecideInput {
  rows: readonly SloRow[];
  completeness: Completeness;
  configErrors: number;
  failOn: FailOn;
}

const COUNT_KEY: Record<RowVerdict, keyof TierCounts> = { PASS: 'pass', WARN: 'warn', FAIL: 'fail', MISSING: 'missing', ERROR: 'error' };

export function countByTier(rows: readonly SloRow[]): Record<Tier, TierCounts> {
  const counts = {} as Record<Tier, TierCounts>;
  for (const t of TIERS) counts[t] = { total: 0, pass: 0, warn: 0, fail: 0, missing: 0, error: 0 };
  for (const r of rows) {
    counts[r.tier].total++;
    counts[r.tier][COUNT_KEY[r.verdict]]++;
  }
  return counts;
}

/** `MUST 6/7 pass, 1 warn; SHOULD 2/3; NICE 1/3` */
export function countsText(counts: Record<Tier, TierCounts>): string {
  return TIERS.map((t) => {
    const c = counts[t];
    const head = `${t.toUpperCase()} ${c.pass}/${c.total}`;
    if (t !== 'must') return head;
    const rest = (['warn', 'fail', 'error', 'missing'] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`);
    return [`${head} pass`, ...rest].join(', ');
  }).join('; ');
}

function names(rows: readonly SloRow[]): string {
  return rows.map((r) => JSON.stringify(r.slo)).join(', ');
}

/** `1 SLO test timed out before recording (a.test.js › hangs)`: tests that may have been lost measurements. */
function unrecordedReasons(c: Completeness): string[] {
  const list = c.unrecorded ?? [];
  const out: string[] = [];
  for (const timedOut of [true, false]) {
    const group = list.filter((t) => t.timedOut === timedOut);
    if (group.length === 0) continue;
    const shown = group.slice(0, UNRECORDED_NAMED).map((t) => `${t.testPath.split(/[\\/]/).pop()} › ${t.testName}`);
    const more = group.length > UNRECORDED_NAMED ? `, and ${group.length - UNRECORDED_NAMED} more` : '';
    out.push(`${group.length} SLO test${group.length === 1 ? '' : 's'} ${timedOut ? 'timed out' : 'failed'} before recording (${shown.join('; ')}${more}): a measurement may be lost`);
  }
  return out;
}

/** Tests named in a decision reason; the rest are counted. */
const UNRECORDED_NAMED = 3;

export function decide(input: DecideInput): Decision {
  const { rows, completeness: c, configErrors, failOn } = input;
  const counts = countByTier(rows);
  const reasons: string[] = [];
  let verdict: DecisionVerdict;
  const lostFiles = c.failedToRun.length + Math.max(0, c.totalFiles - c.ranFiles);
  const incomplete = `the run is incomplete (${c.interrupted ? 'interrupted; ' : ''}${lostFiles} of ${c.totalFiles} test files did not finish): rows they would have measured may be lost`;
  if (rows.length === 0) {
    verdict = 'NO DATA';
    reasons.push('no SLO was measured and none is declared in the reporter\'s slos option');
    if (!c.complete) reasons.push(incomplete);
    if (c.tests.failed > 0) reasons.push(`${c.tests.failed} test${c.tests.failed === 1 ? '' : 's'} failed, possibly before measuring`);
  } else {
    const must = rows.filter((r) => decidesRun(r.tier));
    const blocking = must.filter((r) => rowEffect(r.verdict) === 'no-go');
    const failed = blocking.filter((r) => r.verdict === 'FAIL');
    const missing = blocking.filter((r) => r.verdict === 'MISSING');
    const errored = blocking.filter((r) => r.verdict === 'ERROR');
    const warned = must.filter((r) => rowEffect(r.verdict) === 'warn');
    if (failed.length > 0) reasons.push(`MUST ${failed.length === 1 ? 'row' : 'rows'} ${names(failed)} beyond the NO-GO limit (FAIL)`);
    if (errored.length > 0) reasons.push(`MUST ${errored.length === 1 ? 'row' : 'rows'} ${names(errored)} could not be measured (ERROR)`);
    if (missing.length > 0) reasons.push(`MUST ${missing.length === 1 ? 'row' : 'rows'} ${names(missing)} not measured (MISSING)`);
    if (!c.complete) reasons.push(incomplete);
    reasons.push(...unrecordedReasons(c));
    if (reasons.length > 0) verdict = 'NO-GO';
    else if (warned.length === 0) verdict = 'GO';
    else {
      verdict = 'GO WITH WARNINGS';
      reasons.push(`MUST ${warned.length === 1 ? 'row' : 'rows'} ${names(warned)} over target but within the NO-GO limit, or not conclusively under it (WARN)`);
    }
  }
  let failsRun: boolean;
  if (failOn === 'never') failsRun = false;
  else if (verdict === 'NO DATA') failsRun = !c.complete || c.tests.failed > 0;
  else failsRun = verdict === 'NO-GO' || (failOn === 'warnings' && verdict === 'GO WITH WARNINGS');
  if (configErrors > 0) {
    failsRun = true;
    reasons.push(`${configErrors} configuration error${configErrors === 1 ? '' : 's'} (they fail the run whatever failOn says)`);
  }
  const line = verdict === 'NO DATA' ? `Decision: NO DATA — no SLO was measured and none is declared` : `Decision: ${verdict} — ${countsText(counts)}`;
  return { verdict, failsRun, failOn, reasons, counts, line };
}
