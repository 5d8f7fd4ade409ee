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
import type { BadLine } from './collect';
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

/** Writes `report` as `<dir>/report.json`: temp file in the same folder, then rename (atomic). */
export function writeReport(dir: string, report: SloReport): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, REPORT_FILE);
  const tmp = path.join(dir, `.${REPORT_FILE}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, `${JSON.stringify(report, jsonSafe, 1)}\n`);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return file;
}

/** JSON cannot carry ±Infinity or NaN: they become null, as in records. */
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
