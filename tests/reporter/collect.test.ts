import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clearRecords, collect, recordFiles, recordLines } from '../../src/reporter/collect';
import { reportJson, toReportRecord, type SloReport } from '../../src/reporter/report';
import { rec } from './build';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-collect-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function line(slo: string): string {
  const { ref: _ref, ...r } = rec({ slo });
  return JSON.stringify(r);
}

describe('collect', () => {
  test('reads every line of every record file, and gives each record a unique ref', () => {
    fs.writeFileSync(path.join(dir, 'records-1-1.jsonl'), `${line('a')}\n${line('b')}\n`);
    fs.writeFileSync(path.join(dir, 'records-2-2.jsonl'), `${line('c')}\n`);
    fs.writeFileSync(path.join(dir, 'slos.json'), '{}');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a record file');
    const { records, bad, files } = collect(dir);
    expect(bad).toEqual([]);
    expect(files.map((f) => path.basename(f))).toEqual(['records-1-1.jsonl', 'records-2-2.jsonl']);
    expect(records.map((r) => r.slo)).toEqual(['a', 'b', 'c']);
    expect(records.map((r) => r.ref)).toEqual(['records-1-1.jsonl:1', 'records-1-1.jsonl:2', 'records-2-2.jsonl:1']);
  });

  test('a corrupt line and a truncated last line are reported with file and line; the rest is read', () => {
    const file = path.join(dir, 'records-7-3.jsonl');
    fs.writeFileSync(file, `${line('a')}\n{not json}\n${line('b')}\n\n${line('c').slice(0, 40)}`);
    const { records, bad } = collect(dir);
    expect(records.map((r) => r.slo)).toEqual(['a', 'b']);
    expect(bad).toEqual([
      expect.objectContaining({ file, line: 2, reason: expect.stringMatching(/^not valid JSON/), excerpt: '{not json}' }),
      expect.objectContaining({ file, line: 5, reason: expect.stringMatching(/^truncated last line/) }),
    ]);
  });

  test('valid JSON that is not a record is reported, naming the field', () => {
    const { ref: _ref, ...good } = rec({ slo: 'x' });
    const lines = [
      JSON.stringify([1, 2]),
      JSON.stringify({ ...good, schema: 99 }),
      JSON.stringify({ ...good, tier: 'critical' }),
      JSON.stringify({ ...good, verdict: 'MAYBE' }),
      JSON.stringify({ ...good, slo: '' }),
      JSON.stringify({ ...good, estimate: 'fast' }),
      JSON.stringify({ ...good, estimate: null }),
    ];
    fs.writeFileSync(path.join(dir, 'records-1-1.jsonl'), `${lines.join('\n')}\n`);
    const { records, bad } = collect(dir);
    expect(bad.map((b) => [b.line, b.reason])).toEqual([
      [1, 'not a record: not a JSON object'],
      [2, 'not a record: unsupported record schema 99 (this reporter reads schema 1)'],
      [3, 'not a record: field tier is "critical"'],
      [4, 'not a record: field verdict is "MAYBE"'],
      [5, 'not a record: field slo is empty'],
      [6, 'not a record: field estimate is not a number'],
    ]);
    // null is how JSON carries ±Infinity: still a record.
    expect(records).toHaveLength(1);
  });

  test('a missing run folder reads as empty', () => {
    expect(collect(path.join(dir, 'gone'))).toEqual({ records: [], bad: [], files: [] });
  });

  test('clearRecords removes record files only', () => {
    fs.writeFileSync(path.join(dir, 'records-1-1.jsonl'), `${line('a')}\n`);
    fs.writeFileSync(path.join(dir, 'slos.json'), '{}');
    clearRecords(dir);
    expect(recordFiles(dir)).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual(['slos.json']);
  });
});

describe('collect → report records', () => {
  const machine = { ...rec({ slo: 'a' }).env, loadavg: [9, 9, 9] as [number, number, number] };

  test('a record from the run machine keeps only its loadavg; its JSON is its line, reused', () => {
    fs.writeFileSync(path.join(dir, 'records-1-1.jsonl'), `${line('a')}\n`);
    const [r] = collect(dir).records;
    const written = JSON.parse(fs.readFileSync(path.join(dir, 'records-1-1.jsonl'), 'utf8')) as Record<string, unknown>;
    const out = toReportRecord(r, { testStatus: 'passed', overlapped: false }, machine);
    expect(out.env).toBeUndefined();
    expect(out.loadavg).toEqual(rec({ slo: 'a' }).env.loadavg);
    const text = reportJson({ rows: [], records: [out] } as unknown as SloReport);
    const { env: _env, ...rest } = written;
    expect(JSON.parse(text).records).toEqual([{ ref: 'records-1-1.jsonl:1', testStatus: 'passed', overlapped: false, ...rest, loadavg: rec({ slo: 'a' }).env.loadavg }]);
  });

  test('a record from another machine keeps its env; a line that already has a reporter field is serialised, not reused', () => {
    const { ref: _ref, ...r } = rec({ slo: 'b' });
    fs.writeFileSync(path.join(dir, 'records-1-1.jsonl'), `${JSON.stringify({ ...r, env: { ...r.env, cpu: 'other' } })}\n${JSON.stringify({ ...r, testStatus: 'failed' })}\n`);
    const [other, tagged] = collect(dir).records;
    expect(recordLines.has(other)).toBe(true);
    expect(recordLines.has(tagged)).toBe(false);
    const a = toReportRecord(other, { testStatus: 'passed', overlapped: true }, machine);
    const b = toReportRecord(tagged, { testStatus: 'passed', overlapped: false }, machine);
    expect(a.env?.cpu).toBe('other');
    expect(a.loadavg).toBeUndefined();
    const parsed = JSON.parse(reportJson({ rows: [], records: [a, b] } as unknown as SloReport)).records;
    expect(parsed[0]).toMatchObject({ ref: 'records-1-1.jsonl:1', overlapped: true, env: { cpu: 'other' } });
    // One testStatus key, the reporter's.
    expect(parsed[1]).toMatchObject({ ref: 'records-1-1.jsonl:2', testStatus: 'passed', loadavg: r.env.loadavg });
    expect(parsed[1].env).toBeUndefined();
  });
});
