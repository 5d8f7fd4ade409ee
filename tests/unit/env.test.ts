import os from 'node:os';
import { fingerprint } from '../../src/env';

describe('fingerprint', () => {
  test('describes this machine and process', () => {
    const f = fingerprint();
    expect(f.cpu).toBe(os.cpus()[0]?.model.trim() ?? 'unknown');
    expect(f.cpu.length).toBeGreaterThan(0);
    expect(f.cores).toBe(os.cpus().length);
    expect(Number.isInteger(f.availableParallelism) && f.availableParallelism >= 1).toBe(true);
    expect(f.totalMemory).toBe(os.totalmem());
    expect(f.node).toBe(process.version);
    expect(f.v8).toBe(process.versions.v8);
    expect(f.platform).toBe(process.platform);
    expect(f.arch).toBe(process.arch);
  });

  test('load averages: three non-negative numbers rounded to two decimals', () => {
    const { loadavg } = fingerprint();
    expect(loadavg).toHaveLength(3);
    for (const x of loadavg) {
      expect(Number.isFinite(x) && x >= 0).toBe(true);
      expect(Math.round(x * 100) / 100).toBe(x);
    }
  });

  test('plain JSON: survives a JSON round trip unchanged', () => {
    const f = fingerprint();
    expect(JSON.parse(JSON.stringify(f))).toEqual(f);
  });
});
