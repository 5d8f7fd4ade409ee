/**
 * Load: 200 test files on 4 Jest workers, 10 records each. All 2,000 records arrive, none
 * lost, none duplicated, each joined with its test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES, matrixOf, runJest } from '../fixtures/reporter/harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const generate = require('../fixtures/reporter/load/generate.js') as (files: number, perFile: number) => string;

const FILES = 200;
const PER_FILE = 10;
const WORKERS = 4;

afterAll(() => fs.rmSync(path.join(FIXTURES, 'load', 'generated'), { recursive: true, force: true }));

test(`${WORKERS} workers × ${FILES / WORKERS} files × ${PER_FILE} records: all ${FILES * PER_FILE} arrive, none lost or duplicated`, async () => {
  generate(FILES, PER_FILE);
  const run = await runJest('load', ['--silent']);
  expect(run.stderr).toMatch(new RegExp(`Tests: +${FILES * PER_FILE} passed`));
  expect(run.code).toBe(0);
  const report = run.report;
  if (!report) throw new Error('no report.json');

  expect(report.records).toHaveLength(FILES * PER_FILE);
  const seen = new Set(report.records.map((r) => `${(r.details as { file: string }).file}#${(r.details as { index: number }).index}`));
  expect(seen.size).toBe(FILES * PER_FILE);
  for (let f = 0; f < FILES; f++) for (let i = 0; i < PER_FILE; i++) expect(seen.has(`f${String(f).padStart(3, '0')}#${i}`)).toBe(true);
  expect(new Set(report.records.map((r) => r.ref)).size).toBe(FILES * PER_FILE);
  expect(new Set(report.records.map((r) => r.worker))).toEqual(new Set(['1', '2', '3', '4']));
  expect(report.records.every((r) => r.testStatus === 'passed')).toBe(true);

  expect(report.rows).toHaveLength(PER_FILE);
  for (const row of report.rows) expect(row.records).toHaveLength(FILES);
  expect(report.run).toMatchObject({ complete: true, totalFiles: FILES, ranFiles: FILES });
  expect(matrixOf(run.stderr).replace(/\s+/g, ' ')).toContain('SLO decision matrix (rt-slo-reporter: 10 SLOs, 2000 measurements, 200 test files)');
  expect(matrixOf(run.stderr)).toMatch(/^Decision: GO — MUST 0\/0 pass; SHOULD 0\/0; NICE 10\/10$/m);
}, 300_000);
