/**
 * docs/report.schema.json against real reports: the real Jest CLI on the fixture projects
 * (tests/fixtures/reporter/harness.ts, dist/ as installed), each report.json validated with
 * ajv; and malformed reports, made from a real one, must fail.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject } from 'ajv';
import { runJest, type JestRun } from '../fixtures/reporter/harness';

const SCHEMA_FILE = path.resolve(__dirname, '../../docs/report.schema.json');
const CHILD_TIMEOUT = 120_000;

const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
// strictRequired off: the record's env/loadavg choice names properties inside `not`.
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, strictRequired: false });
const validate = ajv.compile(schema);

function problems(report: unknown): string[] {
  return validate(report) ? [] : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Real runs, one per fixture; the first good report is kept for the negative cases. */
const FIXTURES: Array<[name: string, fixture: string, args: string[], env: Record<string, string>]> = [
  ['all pass, two projects', 'all-pass', ['--reporters=default', '--reporters=rt-slo-reporter'], {}],
  ['NO-GO (a MUST row fails)', 'no-go', [], {}],
  ['a declared MUST row MISSING, in band', 'missing', ['--runInBand'], {}],
  ['a configuration error', 'config-error', [], { CONFIG_CASE: 'tier-conflict' }],
  ['crashes: bad lines, files that failed to run', 'crash', [], {}],
];

let sample: JestRun['report'];

describe('report.json matches docs/report.schema.json', () => {
  test.each(FIXTURES)(
    '%s',
    async (_name, fixture, args, env) => {
      const run = await runJest(fixture, args, env);
      expect(run.report).toBeDefined();
      expect(problems(run.report)).toEqual([]);
      if (fixture === 'all-pass') sample = run.report;
      if (fixture === 'crash') expect(run.report?.problems.badLines.length).toBeGreaterThan(0);
    },
    CHILD_TIMEOUT,
  );

  test('the schema documents every field', () => {
    const undocumented: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
      if (node === null || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (o.properties && typeof o.properties === 'object') {
        for (const [k, v] of Object.entries(o.properties)) if (typeof (v as { description?: unknown }).description !== 'string') undocumented.push(`${at}/properties/${k}`);
      }
      for (const [k, v] of Object.entries(o)) walk(v, `${at}/${k}`);
    };
    walk(schema, '#');
    expect(undocumented).toEqual([]);
  });
});

describe('malformed reports fail validation', () => {
  const copy = (): Record<string, any> => {
    if (!sample) throw new Error('the all-pass run did not produce a report');
    return JSON.parse(JSON.stringify(sample)) as Record<string, any>;
  };
  const cases: Array<[string, (r: Record<string, any>) => void, RegExp]> = [
    ['an unknown top-level field', (r) => (r.extra = 1), /must NOT have additional properties/],
    ['a record without its verdict', (r) => delete r.records[0].verdict, /must have required property 'verdict'/],
    ['a row verdict outside the list', (r) => (r.rows[0].verdict = 'OK'), /must be equal to one of the allowed values/],
    ['a misspelt field in a row', (r) => ((r.rows[0].tiers = r.rows[0].tier), delete r.rows[0].tier), /must have required property 'tier'/],
    ['a record with both env and loadavg', (r) => ((r.records[0].env = r.run.fingerprint), (r.records[0].loadavg = [0, 0, 0])), /must match exactly one schema in oneOf/],
    ['a wrong schema version', (r) => (r.schemaVersion = 1), /must be equal to constant/],
    ['a string where a number belongs', (r) => (r.records[0].startedAt = '2026-01-01'), /must be number/],
  ];
  test.each(cases)('%s', (_name, spoil, message) => {
    const r = copy();
    expect(problems(r)).toEqual([]);
    spoil(r);
    const found = problems(r);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(message);
  });
});
