/**
 * Central SLO declarations (the reporter's `slos` option), shared with the matchers.
 *
 * The reporter writes them to `<run folder>/slos.json` before any worker starts; a matcher whose
 * `slo` names a declared row takes the declared tier and NO-GO limit as its defaults, so the
 * test's outcome and the matrix agree. A matcher that explicitly passes a different tier,
 * target or limit is a configuration error: it throws a TypeError naming both values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runDir } from './record';
import type { Tier, Unit } from './types';
import { parseBytes } from './units/bytes';
import { parseDuration, show } from './units/duration';
import { FACTOR_TEXT_RE, PERCENT_RE } from './units/limit';

export const DECLARATIONS_FILE = 'slos.json';

/** One declared SLO row, as written in the reporter's options. */
export interface SloDeclaration {
  tier: Tier;
  /** Target in the matcher's own terms: a duration ('10us'), size ('10MB'), speedup (1000), '1%'. */
  target?: string | number;
  /** Hard NO-GO limit, same terms as target. */
  noGo?: string | number;
  description?: string;
}

export type SloDeclarations = Record<string, SloDeclaration>;

let cache: { dir: string; decls: SloDeclarations } | undefined;

/** Declarations published by the active reporter (empty without one). Read once per run folder. */
export function declarations(): SloDeclarations {
  const dir = runDir();
  if (!dir) return {};
  if (cache?.dir === dir) return cache.decls;
  let decls: SloDeclarations = {};
  try {
    decls = JSON.parse(fs.readFileSync(path.join(dir, DECLARATIONS_FILE), 'utf8')) as SloDeclarations;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  cache = { dir, decls };
  return decls;
}

/** The declaration of one row, if any. */
export function declared(slo: string): SloDeclaration | undefined {
  const d = declarations();
  return Object.prototype.hasOwnProperty.call(d, slo) ? d[slo] : undefined;
}

/** Writes declarations into a run folder (the reporter's side). Atomic: write, then rename. */
export function publishDeclarations(dir: string, decls: SloDeclarations): void {
  const file = path.join(dir, DECLARATIONS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(decls));
  fs.renameSync(tmp, file);
}

/**
 * The unit family a declared value is written in. A bare number has none of its own: it is
 * milliseconds, bytes, a factor or a fraction depending on the matcher that measures the row.
 */
export type DeclaredFamily = 'duration' | 'size' | 'factor' | 'percent' | 'number';

/** What a declared target or noGo may be, for messages. */
export const DECLARED_FORMS =
  "a non-negative number, or a string with its unit: a duration ('10us', '1.5 ms'), a size ('10MB', '512KiB'), a factor ('1000x') or a percentage ('75%')";


/** A declared value's family and its value in that family's unit (ns, bytes, x, %, or the number); undefined when it is none of them. */
export function readDeclared(v: unknown): { family: DeclaredFamily; value: number } | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? { family: 'number', value: v } : undefined;
  if (typeof v !== 'string') return undefined;
  const factor = FACTOR_TEXT_RE.exec(v);
  if (factor) return { family: 'factor', value: Number(factor[1]) };
  const percent = PERCENT_RE.exec(v);
  if (percent) return { family: 'percent', value: Number(percent[1]) };
  for (const [family, parse] of [
    ['duration', parseDuration],
    ['size', parseBytes],
  ] as const) {
    try {
      return { family, value: parse(v) };
    } catch {
      // not this family
    }
  }
  return undefined;
}

/** Families a matcher reads a declared value in, by the unit of its records. */
const ACCEPTED: Record<Unit, { families: readonly DeclaredFamily[]; text: string }> = {
  ns: { families: ['duration', 'number'], text: "a duration (a number of milliseconds, or '<n><unit>' with unit ns, us, µs, ms or s, e.g. '10us')" },
  bytes: { families: ['size', 'number'], text: "a size (a number of bytes, or '<n><unit>' such as '10MB' or '512KiB')" },
  'bytes/call': { families: ['size', 'number'], text: "a size per call (a number of bytes, or '<n><unit>' such as '64B')" },
  x: { families: ['factor', 'number'], text: "a speedup factor (a number, or '<n>x' such as '1000x')" },
  ratio: { families: ['percent', 'number'], text: "an efficiency (a fraction such as 0.75, or a percentage such as '75%')" },
  percent: { families: ['percent'], text: "a percentage ('<n>%', e.g. '1%')" },
};

const FAMILY_WORD: Record<DeclaredFamily, string> = { duration: 'a duration', size: 'a size', factor: 'a factor', percent: 'a percentage', number: 'a number' };

/**
 * Checks that a declaration's target and noGo are written in the unit of the matcher that
 * measures the row, so `'10MB'` declared for a `toRunUnder` row is a configuration error
 * naming both rather than a parse error blamed on the test's line.
 *
 * Throws a TypeError whose message starts `SLO "<slo>" is declared …` and names the declared
 * value, the matcher and the accepted unit (callers prefix it with their matcher name).
 * Does nothing when the row is not declared or declares neither value. It checks the family
 * only; the matcher's own parser still decides ranges (an efficiency above 100%, a bare number
 * where a limit needs its unit).
 */
export function checkDeclarationUnit(slo: string, matcher: string, unit: Unit, decl: SloDeclaration | undefined = declared(slo)): void {
  if (!decl) return;
  const accepted = ACCEPTED[unit];
  for (const key of ['target', 'noGo'] as const) {
    const v = decl[key];
    if (v === undefined) continue;
    const read = readDeclared(v);
    if (read && accepted.families.includes(read.family)) continue;
    const what = read ? ` (${FAMILY_WORD[read.family]})` : '';
    throw new TypeError(
      `SLO ${JSON.stringify(slo)} is declared in the reporter's slos option with ${key} ${show(v)}${what}, but ${matcher} measures it in ${unit}: its declared target and noGo must be ${accepted.text}`,
    );
  }
}
