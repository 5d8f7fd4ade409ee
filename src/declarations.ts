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
import type { Tier } from './types';

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
