/**
 * Collect: reads every record file the matchers wrote into the run folder (one JSON line per
 * measurement, one file per worker process). A bad line is reported with its file and line
 * number, and the rest is still read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RECORD_FILE_PREFIX, RECORD_FILE_SUFFIX } from '../constants';
import { RECORD_SCHEMA_VERSION, TIERS, type SloRecord, type Tier, type Unit, type Verdict } from '../types';

/** A line of a record file that could not be used. */
export interface BadLine {
  /** Absolute path of the record file. */
  file: string;
  /** 1-based line number. */
  line: number;
  reason: string;
  /** The start of the line, for a person to recognise it. */
  excerpt: string;
}

/**
 * A record as read, with `ref`: where it was read (`records-<pid>-<worker>.jsonl:<line>`),
 * unique within a run whatever the writer's ids, so rows and overlaps refer to records by it.
 */
export type CollectedRecord = SloRecord & { ref: string };

/**
 * The JSON line each record was read from. report.json embeds it as it was written instead of
 * serialising the parsed object again (a third of the end-of-run time with 10,000 records).
 * Only for lines whose object has none of the fields the reporter adds (its keys would repeat).
 */
export const recordLines = new WeakMap<CollectedRecord, string>();

export interface Collected {
  records: CollectedRecord[];
  bad: BadLine[];
  /** The record files read, sorted. */
  files: string[];
}

/** Characters of a bad line kept in the report: enough to recognise it. */
const EXCERPT_CHARS = 120;

const VERDICTS: readonly Verdict[] = ['PASS', 'WARN', 'FAIL', 'ERROR'];
const UNITS: readonly Unit[] = ['ns', 'bytes', 'bytes/call', 'x', 'ratio', 'percent'];

function isRecordFile(name: string): boolean {
  return name.startsWith(RECORD_FILE_PREFIX) && name.endsWith(RECORD_FILE_SUFFIX);
}

/** The record files in a run folder, sorted so reading order is stable. */
export function recordFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.filter(isRecordFile).sort().map((n) => path.join(dir, n));
}

/** Deletes every record file (a new watch-mode run starts from nothing). */
export function clearRecords(dir: string): void {
  for (const file of recordFiles(dir)) fs.rmSync(file, { force: true });
}

/** Why a parsed value is not a usable record, or undefined when it is one. */
export function recordProblem(x: unknown): string | undefined {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return 'not a JSON object';
  const r = x as Record<string, unknown>;
  if (r.schema !== RECORD_SCHEMA_VERSION) return `unsupported record schema ${JSON.stringify(r.schema)} (this reporter reads schema ${RECORD_SCHEMA_VERSION})`;
  for (const key of ['id', 'slo', 'matcher', 'testPath', 'testName', 'worker'] as const) {
    if (typeof r[key] !== 'string') return `field ${key} is not a string`;
  }
  if ((r.slo as string).length === 0) return 'field slo is empty';
  if (!TIERS.includes(r.tier as Tier)) return `field tier is ${JSON.stringify(r.tier)}`;
  if (!VERDICTS.includes(r.verdict as Verdict)) return `field verdict is ${JSON.stringify(r.verdict)}`;
  if (!UNITS.includes(r.unit as Unit)) return `field unit is ${JSON.stringify(r.unit)}`;
  if (r.direction !== 'lower' && r.direction !== 'higher') return `field direction is ${JSON.stringify(r.direction)}`;
  // Values JSON cannot carry (±Infinity, NaN) arrive as null; the renderer shows them as such.
  for (const key of ['target', 'noGo', 'estimate', 'low', 'high', 'samples', 'batch', 'noise'] as const) {
    if (r[key] !== null && typeof r[key] !== 'number') return `field ${key} is not a number`;
  }
  for (const key of ['startedAt', 'endedAt', 'pid'] as const) {
    if (typeof r[key] !== 'number') return `field ${key} is not a number`;
  }
  if (!Array.isArray(r.notes)) return 'field notes is not an array';
  return undefined;
}

/** Parses one record file's text; pushes good records and bad lines. */
export function parseRecordText(file: string, text: string, records: CollectedRecord[], bad: BadLine[]): void {
  const name = path.basename(file);
  const lines = text.split('\n');
  // A file ends with a newline; the empty piece after it is not a line.
  const count = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  for (let i = 0; i < count; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const truncated = i === count - 1 && lines.length === count;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      const reason = truncated ? 'truncated last line (the writing process probably died mid-write)' : `not valid JSON (${(e as Error).message})`;
      bad.push({ file, line: i + 1, reason, excerpt: line.slice(0, EXCERPT_CHARS) });
      continue;
    }
    const problem = recordProblem(value);
    if (problem) bad.push({ file, line: i + 1, reason: `not a record: ${problem}`, excerpt: line.slice(0, EXCERPT_CHARS) });
    else {
      const own = value as Record<string, unknown>;
      const reusable = own.ref === undefined && own.testStatus === undefined && own.overlapped === undefined;
      // Tagged in place: copying 10,000 records of 40 fields each costs more than reading them.
      (value as CollectedRecord).ref = `${name}:${i + 1}`;
      records.push(value as CollectedRecord);
      if (reusable) recordLines.set(value as CollectedRecord, line);
    }
  }
}

/** Reads every record of a run folder. */
export function collect(dir: string): Collected {
  const records: CollectedRecord[] = [];
  const bad: BadLine[] = [];
  const files = recordFiles(dir);
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      bad.push({ file, line: 0, reason: `unreadable file (${(e as Error).message})`, excerpt: '' });
      continue;
    }
    parseRecordText(file, text, records, bad);
  }
  return { records, bad, files };
}
