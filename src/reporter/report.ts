/**
 * report.json: everything the run knew, in a versioned schema, so later tools (baselines and
 * regression gates, merging `--shard` reports, Markdown/HTML/Bencher output) can work from the
 * file alone: every row, every record with its test's status, the machine, the decision, and
 * whether the run was complete. Written atomically: a temporary file, then a rename.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SloDeclarations } from '../declarations';
import type { Fingerprint, SloRecord } from '../types';
import { recordLines, type BadLine } from './collect';
import type { Decision } from './decide';
import type { FailOn } from './options';
import type { Completeness, TestStatus } from './results';
import type { ConfigError, SloRow } from './rows';

/** Bump on any incompatible change to the shape below; additions keep the version. */
export const REPORT_SCHEMA_VERSION = 1;
export const REPORT_FILE = 'report.json';

/** A record as measured, with where it was read (`ref`) and the status of the test that measured it. */
export type ReportRecord = SloRecord & {
  /** `records-<pid>-<worker>.jsonl:<line>`: unique within the run; rows refer to records by it. */
  ref: string;
  testStatus: TestStatus;
  /** Overlapped a measurement in another Jest worker. */
  overlapped: boolean;
};

/** The shape of report.json, schema version 1. */
export interface SloReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'rt-slo-reporter'; version: string };
  /** ISO time the report was written. */
  createdAt: string;
  run: {
    /** Epoch ms. */
    startedAt: number;
    endedAt: number;
    /** Jest's rootDir. */
    rootDir: string;
    /** 1 for the first run; watch mode counts up. */
    runNumber: number;
    watch: boolean;
    maxWorkers: number | null;
    /** The machine the reporter ran on (each record carries its own, too). */
    fingerprint: Fingerprint;
    /** Jest collected coverage: the figures were measured on instrumented code (slower than real). */
    instrumented: boolean;
  } & Completeness;
  options: { failOn: FailOn; outputDir: string; verbose: boolean };
  /** The reporter's `slos` option as given. */
  declarations: SloDeclarations;
  decision: Decision;
  /** One per SLO, in matrix order. Each names its records by `ref`. */
  rows: SloRow[];
  /** Every record read, in time order. */
  records: ReportRecord[];
  problems: {
    /** Declarations and records that disagree; they fail the run. */
    configErrors: ConfigError[];
    /** Record lines that could not be read (file, 1-based line, reason). */
    badLines: BadLine[];
    /** Measurements that ran at the same time in different workers. */
    overlap: { detected: boolean; records: string[]; workers: string[]; message: string | null };
  };
}

/** The fields the reporter adds to a record; a record line never has them. */
const ADDED: ReadonlyArray<keyof ReportRecord> = ['ref', 'testStatus', 'overlapped'];

/** A record as JSON: its line as written, with the reporter's fields in front; or serialised. */
function recordJson(r: ReportRecord): string {
  const line = recordLines.get(r);
  if (line === undefined || !line.startsWith('{') || ADDED.some((k) => line.includes(`"${k}":`))) return JSON.stringify(r);
  const head = `{"ref":${JSON.stringify(r.ref)},"testStatus":${JSON.stringify(r.testStatus)},"overlapped":${r.overlapped === true}`;
  return line === '{}' ? `${head}}` : `${head},${line.slice(1)}`;
}

/** Stands in for the records while the rest of the report is indented. */
const RECORDS_SLOT = '\u0000records\u0000';

/**
 * The report as JSON text: indented for people, with one record per line (like the record
 * files), which keeps a 10,000-record report quick to write and easy to grep. JSON.stringify
 * turns NaN and ±Infinity into null, as the record writer does.
 */
export function reportJson(report: SloReport): string {
  const records = report.records;
  if (!Array.isArray(records)) return `${JSON.stringify(report, null, 1)}\n`;
  const text = JSON.stringify({ ...report, records: RECORDS_SLOT }, null, 1);
  const list = records.length === 0 ? '[]' : `[\n  ${records.map(recordJson).join(',\n  ')}\n ]`;
  return `${text.replace(JSON.stringify(RECORDS_SLOT), () => list)}\n`;
}

/** Writes `report` as `<dir>/report.json`: temp file in the same folder, then rename (atomic). */
export function writeReport(dir: string, report: SloReport): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, REPORT_FILE);
  const tmp = path.join(dir, `.${REPORT_FILE}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, reportJson(report));
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return file;
}
