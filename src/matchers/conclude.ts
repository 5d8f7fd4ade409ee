/**
 * The end of every matcher: the verdict (src/verdict.ts), the record written for the reporter,
 * and one Jest-style message.
 */
import type { MatcherContext } from 'expect';
import { epochNow } from '../measure/clock';
import { relativeMargin } from '../measure/stats';
import { writeRecord, type RecordInput } from '../record';
import type { Interval, SloRecord, Verdict } from '../types';
import { formatInterval, formatValue } from '../units/format';
import { claimHolds, claimLines, jestPass, judge, type Lines } from '../verdict';
import type { RowBase } from './row';

/** A measured claim: its row, and what was measured. */
export type Outcome = RowBase &
  Pick<SloRecord, 'samples' | 'batch' | 'summary' | 'details'> & {
    /** The asserted statistic's 95% interval. */
    interval: Interval;
    notes?: string[];
    /** Argument labels in the hint, e.g. `'other'` or `'baseline, limit'` (default `'target'`; `''` for none). */
    hintArgs?: string;
    /** Extra labelled lines for the message (a scaling table, the baseline, …). */
    extra?: string[];
    /** Overrides the claim verdict (for example, a correctness failure is FAIL whatever the numbers). */
    forceVerdict?: Exclude<Verdict, 'ERROR'>;
  };

/** The record fields every record of a row carries, measured or not. */
function rowFields(o: RowBase, lines: Lines): Omit<RecordInput, 'estimate' | 'low' | 'high' | 'samples' | 'batch' | 'noise' | 'verdict' | 'inconclusive' | 'passed' | 'notes' | 'endedAt'> {
  return {
    slo: o.slo,
    tier: o.tier,
    matcher: o.matcher,
    negated: o.negated,
    unit: o.unit,
    direction: lines.direction,
    target: lines.target,
    noGo: lines.noGo,
    targetText: o.targetText,
    noGoText: o.negated ? (o.negatedNoGoText ?? o.targetText) : o.noGoText,
    stat: o.stat,
    startedAt: o.startedAt,
  };
}

/**
 * Classifies, records and builds Jest's `{ pass, message }` for one measured claim.
 * The message is a lazy thunk, as Jest expects.
 */
export function conclude(ctx: MatcherContext, o: Outcome): { pass: boolean; message: () => string; record: SloRecord } {
  const lines = claimLines(o);
  const { verdict, inconclusive } = judge(o.interval, lines, o.forceVerdict);
  const notes = [...(o.notes ?? [])];
  if (inconclusive) {
    notes.push(
      `inconclusive: the 95% interval still straddles ${lines.target === lines.noGo ? 'the target' : 'a line'} after ${o.samples} samples; the verdict follows the point estimate`,
    );
  }
  const holds = claimHolds(verdict, o.tier);
  const record = writeRecord({
    ...rowFields(o, lines),
    estimate: o.interval.estimate,
    low: finiteOr(o.interval.low, o.summary?.min ?? o.interval.estimate),
    high: finiteOr(o.interval.high, o.summary?.max ?? o.interval.estimate),
    samples: o.samples,
    batch: o.batch,
    noise: relativeMargin(o.interval),
    verdict,
    inconclusive,
    passed: holds,
    summary: o.summary,
    notes,
    details: o.details,
    endedAt: epochNow(),
  });
  const pass = jestPass(holds, o.negated);
  const message = (): string => buildMessage(ctx, o, record, lines);
  return { pass, message, record };
}

function finiteOr(x: number, fallback: number): number {
  return Number.isFinite(x) ? x : fallback;
}

/** The failure (or `.not` failure) message: hint, one sentence, labelled values, notes. */
export function buildMessage(ctx: MatcherContext, o: Outcome, record: SloRecord, lines: Lines): string {
  const { matcherHint, EXPECTED_COLOR, RECEIVED_COLOR } = ctx.utils;
  // matcherHint adds `.not` itself from isNot.
  const hint = matcherHint(`.${o.matcher}`, 'received', o.hintArgs ?? 'target', { isNot: o.negated, promise: ctx.promise });
  const word = lines.direction === 'lower' ? 'under' : 'at least';
  const limit = lines.noGo !== lines.target ? ` (NO-GO ${lines.direction === 'lower' ? 'above' : 'below'} ${formatValue(lines.noGo, o.unit)})` : '';
  const sentence = `Expected ${o.stat} to be ${word} ${formatValue(lines.target, o.unit)}${limit}, tier ${o.tier}.`;
  const rows = [
    hint,
    '',
    sentence,
    '',
    `Expected: ${EXPECTED_COLOR(`${o.stat} ${lines.direction === 'lower' ? '≤' : '≥'} ${o.targetText}`)}`,
    `Received: ${RECEIVED_COLOR(`${o.stat} ${formatInterval(o.interval, o.unit)}`)} (95% CI)`,
    `Verdict:  ${record.verdict}${record.inconclusive ? ' (inconclusive)' : ''}`,
    `Samples:  ${o.samples} × ${o.batch} call${o.batch === 1 ? '' : 's'}, noise ±${(record.noise * 100).toFixed(1)}%`,
    ...(o.extra ?? []),
    ...record.notes.map((n) => `Note:     ${n}`),
  ];
  return rows.join('\n');
}

/**
 * Records a measurement that could not be made (the function threw or hung, a thread died) so
 * the reporter shows the row as lost rather than silently absent, then rethrows.
 */
export function recordError(o: RowBase, error: unknown): never {
  writeRecord({
    ...rowFields(o, claimLines(o)),
    estimate: 0,
    low: 0,
    high: 0,
    samples: 0,
    batch: 0,
    noise: 0,
    verdict: 'ERROR',
    inconclusive: false,
    passed: false,
    notes: [],
    error: error instanceof Error ? error.message : String(error),
    endedAt: epochNow(),
  });
  throw error;
}
