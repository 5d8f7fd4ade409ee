import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { checkDeclarationUnit, readDeclared } from '../../src/declarations';
import { removeStaleRunDirs } from '../../src/reporter';
import { pseudoRoot } from '../../src/reporter/options';
import { unrecordedTests } from '../../src/reporter/results';
import { aggregated, FILE_A, FILE_B, file, tcase } from './build';

describe('readDeclared', () => {
  test.each([
    ['10us', 'duration', 10_000],
    ['1.5 ms', 'duration', 1_500_000],
    ['10MB', 'size', 10_000_000],
    ['512KiB', 'size', 524_288],
    ['1000x', 'factor', 1000],
    ['75%', 'percent', 75],
    [0.75, 'number', 0.75],
    [0, 'number', 0],
  ] as const)('%j is %s', (v, family, value) => {
    expect(readDeclared(v)).toEqual({ family, value });
  });

  test.each(['10xs', 'banana', '', '1000', '-5ms', '1  ms', -5, Number.NaN, Infinity, null, true, {}])('%j is none', (v) => {
    expect(readDeclared(v)).toBeUndefined();
  });
});

describe('checkDeclarationUnit', () => {
  test.each([
    ['ns', { tier: 'must', target: '10us', noGo: 5 }],
    ['bytes', { tier: 'must', target: '10MB', noGo: 20_000_000 }],
    ['bytes/call', { tier: 'must', target: '64B' }],
    ['x', { tier: 'must', target: '1000x', noGo: 100 }],
    ['ratio', { tier: 'must', target: '75%', noGo: 0.5 }],
    ['percent', { tier: 'must', target: '1%' }],
    ['ns', { tier: 'must' }],
  ] as const)('a %s row accepts %j', (unit, decl) => {
    expect(() => checkDeclarationUnit('row', 'm', unit, decl)).not.toThrow();
  });

  test('an undeclared row passes', () => {
    expect(() => checkDeclarationUnit('row', 'toRunUnder', 'ns', undefined)).not.toThrow();
  });

  test.each([
    ['toRunUnder', 'ns', { tier: 'must', target: '10MB' }, 'SLO "row" is declared in the reporter\'s slos option with target "10MB" (a size), but toRunUnder measures it in ns: its declared target and noGo must be a duration'],
    ['toRunUnder', 'ns', { tier: 'must', target: '1ms', noGo: '10MB' }, 'with noGo "10MB" (a size), but toRunUnder measures it in ns'],
    ['toUseMemoryUnder', 'bytes', { tier: 'must', target: '10ms' }, 'with target "10ms" (a duration), but toUseMemoryUnder measures it in bytes: its declared target and noGo must be a size'],
    ['toBeFasterThan', 'x', { tier: 'must', target: '75%' }, 'with target "75%" (a percentage), but toBeFasterThan measures it in x: its declared target and noGo must be a speedup factor'],
    ['toScaleLinearly', 'ratio', { tier: 'must', target: '10x' }, 'with target "10x" (a factor), but toScaleLinearly measures it in ratio'],
    ['toHaveOverheadUnder', 'percent', { tier: 'must', target: 5 }, 'with target 5 (a number), but toHaveOverheadUnder measures it in percent'],
  ] as const)('%s (%s) refuses %j, naming the declaration, value, matcher and unit', (matcher, unit, decl, message) => {
    expect(() => checkDeclarationUnit('row', matcher, unit, decl)).toThrow(TypeError);
    expect(() => checkDeclarationUnit('row', matcher, unit, decl)).toThrow(message);
  });
});

describe('unrecordedTests', () => {
  const results = aggregated([
    file(FILE_A, [tcase('measured', 'passed'), tcase('hangs', 'failed', ['thrown: "Exceeded timeout of 5000 ms for a test.']), tcase('throws', 'failed', ['Error: boom']), tcase('declared row', 'failed', ['Error: x'])]),
    file(FILE_B, [tcase('unrelated', 'failed', ['Error: not a perf file'])]),
  ]);

  test('failed tests without a record in files that measure SLOs; declared-row tests and other files left out', () => {
    const got = unrecordedTests(results, [{ testPath: FILE_A, testName: 'measured' }], new Set(['declared row']));
    expect(got).toEqual([
      { testPath: FILE_A, testName: 'hangs', timedOut: true, reason: 'timed out' },
      { testPath: FILE_A, testName: 'throws', timedOut: false, reason: 'Error: boom' },
    ]);
  });

  test('a failed test that wrote its record is not counted; a file with only a declared-row test counts', () => {
    expect(unrecordedTests(results, [{ testPath: FILE_A, testName: 'hangs' }, { testPath: FILE_A, testName: 'throws' }], new Set()).map((t) => t.testName)).toEqual(['declared row']);
    expect(unrecordedTests(results, [], new Set(['declared row'])).map((t) => t.testName)).toEqual(['hangs', 'throws']);
  });
});

describe('run folders of dead processes', () => {
  test('removed at the next start; live ones and other folders stay', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-stale-test-'));
    try {
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
      for (const name of [`rt-slo-${dead}-abc123`, `rt-slo-${process.pid}-abc123`, 'rt-slo-abc123', 'other']) fs.mkdirSync(path.join(tmp, name));
      expect(removeStaleRunDirs(tmp)).toEqual([`rt-slo-${dead}-abc123`]);
      expect(fs.readdirSync(tmp).sort()).toEqual([`rt-slo-${process.pid}-abc123`, 'other', 'rt-slo-abc123'].sort());
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('pseudoRoot', () => {
  test.each([
    ['/proc/x/y', '/proc'],
    ['/proc', '/proc'],
    ['/sys/kernel', '/sys'],
    ['/dev/null/x', '/dev'],
    ['/dev/shm/report', undefined],
    ['/processes/x', undefined],
    [os.tmpdir(), undefined],
  ])('%s → %s', (dir, root) => {
    expect(pseudoRoot(dir)).toBe(root);
  });

  test('a symlink into /proc counts as /proc', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-pseudo-'));
    try {
      fs.symlinkSync('/proc/self', path.join(tmp, 'link'));
      expect(pseudoRoot(path.join(tmp, 'link', 'reports'))).toBe('/proc');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
