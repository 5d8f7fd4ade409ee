/**
 * Minimal reporter (replaced by the full decision matrix): creates the run folder that
 * matchers write to, and lists the recorded measurements at the end of the run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RECORD_FILE_PREFIX, RUN_DIR_ENV } from '../constants';
import type { SloRecord } from '../types';

export default class SloReporter {
  private readonly dir: string;
  constructor(_globalConfig?: unknown, _options?: unknown) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-'));
    process.env[RUN_DIR_ENV] = this.dir;
  }
  onRunComplete(): void {
    const records: SloRecord[] = [];
    for (const f of fs.readdirSync(this.dir)) {
      if (!f.startsWith(RECORD_FILE_PREFIX)) continue;
      for (const line of fs.readFileSync(path.join(this.dir, f), 'utf8').split('\n')) if (line) records.push(JSON.parse(line));
    }
    for (const r of records) process.stderr.write(`${r.verdict} ${r.slo} ${r.stat}=${r.estimate}\n`);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
