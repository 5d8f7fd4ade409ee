/**
 * report.json: everything the run knew, in a versioned schema, so later tools (baselines and
 * regression gates, merging `--shard` reports, Markdown/HTML/Bencher output) can work from the
 * file alone: every row, every record with its test's status, the machine, the decision, and
 * whether the run was complete. Written atomically: a temporary file, then a rename.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SloDeclarations } from '../declarations';
import type { FidelityContext, Fingerprint, SloRecord } from '../types';
import { recordLines, type BadLine, type CollectedRecord } from './collect';
import type { Decision } from './decide';
import type { FailOn } from './options';
import type { Completeness, TestStatus } from './results';
import type { ConfigError, SloRow } from './rows';

/** Bump on any incompatible change to the shape below; additions keep the version. */
export const REPORT_SCHEMA_VERSION = 2;
export const REPORT_FILE = 'report.json';

/**
 * A record as measured, with where it was read (`ref`) and the status of the test that measured
 * it. The machine is stated once, in `run.fingerprint`: a record measured on that machine carries
 * only its `loadavg`; one from another machine keeps its whole `env`.
 */
export type ReportRecord = Omit<SloRecord, 'env'> & {
  /** `records-<pid>-<worker>.jsonl:<line>`: unique within the run; rows refer to records by it. */
  ref: string;
  testStatus: TestStatus;
  /** Overlapped a measurement in another Jest worker. */
  overlapped: boolean;
  /** The machine, present only when it is not `run.fingerprint` (ignoring load averages). */
  env?: Fingerprint;
  /** 1, 5 and 15 minute load averages when the measurement ran (when `env` is left out). */
  loadavg?: [number, number, number];
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
    /** Where the run's records were measured (each record's own `fidelity` says where it was). */
    fidelity: FidelitySummary;
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

/** Where a run's records were measured: inside Jest's VM sandbox, or at production fidelity. */
export interface FidelitySummary {
  /** Records per context (`jest-sandbox`, `main-context`, `bare-node`, `thread`, `process`), memory records included. */
  contexts: Partial<Record<FidelityContext, number>>;
  /** No timing record was measured inside Jest's VM sandbox (and at least one says where it was). */
  production: boolean;
  /** Median of the sandboxed records' probe penalties (global lookups that many times slower); null without one. */
  penalty: number | null;
  /** The line printed under the matrix; null when no timing record says where it was measured. */
  line: string | null;
}

/** Marks a matrix row whose deciding record is a timing measured inside Jest's VM sandbox. */
export const SANDBOX_MARK = '†';
const FIDELITY_DOC = 'docs/fidelity.md';

/**
 * Whether the sandbox's penalty bears on a record: times, speedups and overheads do; bytes do
 * not (the sandbox slows global lookups, it does not change what a heap holds).
 */
export function sandboxDistorts(r: Pick<SloRecord, 'unit' | 'fidelity'>): boolean {
  return r.fidelity?.context === 'jest-sandbox' && r.unit !== 'bytes' && r.unit !== 'bytes/call';
}

export function fidelitySummary(records: readonly SloRecord[]): FidelitySummary {
  const contexts: Partial<Record<FidelityContext, number>> = {};
  const timed = new Set<FidelityContext>();
  const penalties: number[] = [];
  for (const r of records) {
    const f = r.fidelity;
    if (!f || typeof f.context !== 'string') continue;
    contexts[f.context] = (contexts[f.context] ?? 0) + 1;
    if (r.unit === 'bytes' || r.unit === 'bytes/call') continue;
    timed.add(f.context);
    if (f.context === 'jest-sandbox' && typeof f.penalty === 'number' && Number.isFinite(f.penalty)) penalties.push(f.penalty);
  }
  const sandboxed = timed.has('jest-sandbox');
  penalties.sort((a, b) => a - b);
  const penalty = penalties.length === 0 ? null : penalties[Math.floor(penalties.length / 2)];
  let line: string | null = null;
  if (sandboxed) {
    const cost = penalty === null ? 'global lookups slower than in plain Node' : `global lookups ${penalty.toFixed(1)}× slower than plain Node here`;
    const others = timed.size > 1 ? '; unmarked rows were measured outside it' : '';
    line = `${SANDBOX_MARK} Measured inside Jest's VM sandbox: ${cost}${others} (see ${FIDELITY_DOC})`;
  } else if (timed.size > 0) {
    line = "Measured outside Jest's VM sandbox (production fidelity)";
  }
  return { contexts, production: timed.size > 0 && !sandboxed, penalty, line };
}

/** A report record's JSON text, made from its line as written (serialising 10,000 records again costs more). */
const recordTexts = new WeakMap<ReportRecord, string>();

/** Same machine: every fingerprint field but the load averages. */
function sameMachine(a: Fingerprint, b: Fingerprint): boolean {
  return a.cpu === b.cpu && a.cores === b.cores && a.availableParallelism === b.availableParallelism && a.totalMemory === b.totalMemory && a.node === b.node && a.v8 === b.v8 && a.platform === b.platform && a.arch === b.arch;
}

/**
 * Turns a collected record into a report record, in place (copying 10,000 records costs more
 * than reading them): adds the reporter's fields, and replaces `env` by its `loadavg` when the
 * record was measured on `machine`. Its JSON text is made from the line as written when that
 * line has the writer's shape (`env` last), else the record is serialised.
 */
export function toReportRecord(r: CollectedRecord, added: { testStatus: TestStatus; overlapped: boolean }, machine: Fingerprint): ReportRecord {
  const line = recordLines.get(r);
  const env = (r as Partial<SloRecord>).env;
  const ownLoadavg = Object.prototype.hasOwnProperty.call(r, 'loadavg');
  const out = Object.assign(r, added) as unknown as ReportRecord;
  const lean = !ownLoadavg && env !== undefined && env !== null && typeof env === 'object' && Array.isArray(env.loadavg) && sameMachine(env, machine);
  if (lean) {
    // Not `delete`: that would put 10,000 objects into V8's slow dictionary mode.
    out.env = undefined;
    out.loadavg = env.loadavg;
  }
  // recordLines holds only lines whose object had none of the reporter's fields (collect.ts).
  if (line === undefined || !line.startsWith('{')) return out;
  const head = `{"ref":${JSON.stringify(out.ref)},"testStatus":${JSON.stringify(out.testStatus)},"overlapped":${out.overlapped === true}`;
  if (!lean) recordTexts.set(out, line === '{}' ? `${head}}` : `${head},${line.slice(1)}`);
  else {
    const tail = `,"env":${JSON.stringify(env)}}`;
    const body = line.length - tail.length;
    // A line with its own top-level loadavg is not the writer's shape: it is serialised instead.
    if (line.endsWith(tail) && !ownLoadavg) recordTexts.set(out, `${head},${line.slice(1, body)},"loadavg":${JSON.stringify(env.loadavg)}}`);
  }
  return out;
}

function recordJson(r: ReportRecord): string {
  return recordTexts.get(r) ?? JSON.stringify(r);
}

/** Stand in for the rows and the records while the rest of the report is indented. */
const ROWS_SLOT = '\u0000rows\u0000';
const RECORDS_SLOT = '\u0000records\u0000';
/** Records per piece of text handed to the file: large writes, no one 10 MB string. */
const RECORDS_PER_PIECE = 500;

/** A list as JSON text with one item per line, at the report's second level. */
function listPieces(items: readonly unknown[], json: (x: never) => string): string[] {
  if (items.length === 0) return ['[]'];
  const pieces = ['[\n  '];
  for (let i = 0; i < items.length; i += RECORDS_PER_PIECE) {
    const part = items.slice(i, i + RECORDS_PER_PIECE).map((x) => json(x as never)).join(',\n  ');
    pieces.push(i === 0 ? part : `,\n  ${part}`);
  }
  pieces.push('\n ]');
  return pieces;
}

/**
 * The report as pieces of JSON text, in order: indented for people, with one row and one record
 * per line (like the record files), which keeps a 10,000-record report quick to write and easy
 * to grep. JSON.stringify turns NaN and ±Infinity into null, as the record writer does.
 */
export function reportPieces(report: SloReport): string[] {
  const { rows, records } = report;
  if (!Array.isArray(records) || !Array.isArray(rows)) return [`${JSON.stringify(report, null, 1)}\n`];
  const text = `${JSON.stringify({ ...report, rows: ROWS_SLOT, records: RECORDS_SLOT }, null, 1)}\n`;
  const rowsAt = text.indexOf(JSON.stringify(ROWS_SLOT));
  const recordsAt = text.indexOf(JSON.stringify(RECORDS_SLOT));
  if (rowsAt < 0 || recordsAt < rowsAt) return [`${JSON.stringify(report, null, 1)}\n`];
  return [
    text.slice(0, rowsAt),
    ...listPieces(rows, (r: SloRow) => JSON.stringify(r)),
    text.slice(rowsAt + JSON.stringify(ROWS_SLOT).length, recordsAt),
    ...listPieces(records, recordJson),
    text.slice(recordsAt + JSON.stringify(RECORDS_SLOT).length),
  ];
}

/** The report as one JSON text (what `writeReport` writes). */
export function reportJson(report: SloReport): string {
  return reportPieces(report).join('');
}

/** Writes `report` as `<dir>/report.json`: temp file in the same folder, then rename (atomic). */
export function writeReport(dir: string, report: SloReport): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, REPORT_FILE);
  const tmp = path.join(dir, `.${REPORT_FILE}.${process.pid}.tmp`);
  try {
    const pieces = reportPieces(report);
    const fd = fs.openSync(tmp, 'w');
    try {
      for (const piece of pieces) fs.writeSync(fd, piece);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return file;
}
