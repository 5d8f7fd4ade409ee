import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clearRecords, collect, recordFiles } from '../../src/reporter/collect';
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
