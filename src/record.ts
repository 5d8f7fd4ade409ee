import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RECORD_FILE_PREFIX, RECORD_FILE_SUFFIX, RUN_DIR_ENV } from './constants';
import { fingerprint } from './env';
import { fidelitySince } from './measure/fidelity';
import { RECORD_SCHEMA_VERSION, type SloRecord } from './types';

/** What a matcher supplies; the rest (ids, test identity, machine, worker) is filled in here. */
export type RecordInput = Omit<SloRecord, 'schema' | 'id' | 'testPath' | 'testName' | 'worker' | 'pid' | 'env'> & {
  testPath?: string;
  testName?: string;
};

let seq = 0;
/**
 * Jest's default runner loads this module afresh for every test file (one registry per file),
 * so `seq` restarts; jest-light-runner loads it once per worker thread, so `seq` runs on across
 * that thread's files (which share one pid). A random tag per module instance keeps ids unique either way.
 */
const instance = randomBytes(4).toString('hex');

/** The run folder published by the reporter, or undefined when no rt-slo-reporter is active. */
export function runDir(): string | undefined {
  const dir = process.env[RUN_DIR_ENV];
  return dir && dir.length > 0 ? dir : undefined;
}

/** This process's record file inside `dir`. One file per process: appends never interleave. */
export function recordFile(dir: string): string {
  const worker = process.env.JEST_WORKER_ID ?? '0';
  return path.join(dir, `${RECORD_FILE_PREFIX}${process.pid}-${worker}${RECORD_FILE_SUFFIX}`);
}

/** Replaces values JSON cannot carry faithfully (NaN, ±Infinity) with null. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** Completes a record with identity and machine facts. */
export function completeRecord(input: RecordInput): SloRecord {
  const state = currentTest();
  return {
    schema: RECORD_SCHEMA_VERSION,
    id: `${process.pid}-${instance}-${++seq}`,
    ...input,
    // Where it was measured: noted by the engine, thread pool or cold start since it began.
    fidelity: input.fidelity ?? fidelitySince(input.startedAt),
    testPath: input.testPath ?? state.testPath,
    testName: input.testName ?? state.testName,
    worker: process.env.JEST_WORKER_ID ?? '0',
    pid: process.pid,
    env: fingerprint(),
  };
}

/**
 * Appends one measurement to the run folder as a single JSON line, and returns the record.
 * Without a reporter (no run folder) the record is only returned. A single `appendFileSync`
 * of one line is one write(2) with O_APPEND, so a crash leaves at most one partial last line.
 */
export function writeRecord(input: RecordInput): SloRecord {
  const record = completeRecord(input);
  const dir = runDir();
  if (dir) {
    const line = `${JSON.stringify(record, jsonSafe)}\n`;
    fs.mkdirSync(dir, { recursive: true });
    fs.appendFileSync(recordFile(dir), line);
  }
  return record;
}

interface ExpectLike {
  getState(): { testPath?: string; currentTestName?: string };
}

/** The running test's file and full name, from Jest's global `expect` when it is there. */
export function currentTest(): { testPath: string; testName: string } {
  const e = (globalThis as { expect?: ExpectLike }).expect;
  const state = e && typeof e.getState === 'function' ? e.getState() : {};
  return { testPath: state.testPath ?? '', testName: state.currentTestName ?? '' };
}
