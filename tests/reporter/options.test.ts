import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_OUTPUT_DIR, resolveOptions } from '../../src/reporter/options';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-options-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('resolveOptions', () => {
  test('defaults: failOn no-go, outputDir slo-report under rootDir, verbose follows Jest', () => {
    const o = resolveOptions(undefined, root);
    expect(o).toEqual({ slos: {}, failOn: 'no-go', outputDir: path.join(root, DEFAULT_OUTPUT_DIR), verbose: undefined });
    expect(fs.statSync(o.outputDir).isDirectory()).toBe(true);
  });

  test('accepts every option', () => {
    const o = resolveOptions({ slos: { a: { tier: 'should', target: '10us', noGo: '100us', description: 'd' } }, failOn: 'warnings', outputDir: 'out/perf', verbose: true }, root);
    expect(o.failOn).toBe('warnings');
    expect(o.outputDir).toBe(path.join(root, 'out/perf'));
    expect(o.verbose).toBe(true);
    expect(o.slos.a).toEqual({ tier: 'should', target: '10us', noGo: '100us', description: 'd' });
  });

  test('an absolute outputDir stays as given', () => {
    const abs = path.join(root, 'abs');
    expect(resolveOptions({ outputDir: abs }, '/nonexistent-root').outputDir).toBe(abs);
  });

  test.each([
    [{ failon: 'never' }, /unknown option "failon"; accepted options: slos, failOn, outputDir, verbose/],
    [{ failOn: 'sometimes' }, /option failOn must be one of 'no-go', 'warnings', 'never'; received "sometimes"/],
    [{ outputDir: 42 }, /option outputDir must be a non-empty string .*received 42/],
    [{ outputDir: '' }, /option outputDir must be a non-empty string/],
    [{ verbose: 'yes' }, /option verbose must be true or false; received "yes"/],
    ['no-go', /options must be an object; received "no-go"/],
    [{ slos: [] }, /option slos must be an object mapping SLO names/],
    [{ slos: { x: 'must' } }, /option slos\["x"\] must be an object \{ tier, target\?, noGo\?, description\? \}; received "must"/],
    [{ slos: { x: { tier: 'critical' } } }, /option slos\["x"\]\.tier must be one of 'must', 'should', 'nice'; received "critical"/],
    [{ slos: { x: {} } }, /option slos\["x"\]\.tier must be one of .*received undefined/],
    [{ slos: { x: { tier: 'must', limit: '1ms' } } }, /option slos\["x"\]: unknown key "limit"; accepted keys: tier, target, noGo, description/],
    [{ slos: { x: { tier: 'must', target: {} } } }, /option slos\["x"\]\.target must be a non-negative number, or a string with its unit: .*; received \{\}/],
    [{ slos: { x: { tier: 'must', noGo: Number.NaN } } }, /option slos\["x"\]\.noGo must be a non-negative number.*; received NaN/],
    [{ slos: { x: { tier: 'must', target: '10xs' } } }, /option slos\["x"\]\.target must be .*; received "10xs"/],
    [{ slos: { x: { tier: 'must', target: 'banana' } } }, /option slos\["x"\]\.target must be .*; received "banana"/],
    [{ slos: { x: { tier: 'must', noGo: -5 } } }, /option slos\["x"\]\.noGo must be .*; received -5/],
    [{ slos: { x: { tier: 'must', target: '10us', noGo: '10MB' } } }, /option slos\["x"\]: target "10us" is a duration but noGo "10MB" is a size; a row's target and NO-GO limit are in one unit/],
    [{ outputDir: '/proc/rt-slo-report' }, /option outputDir "\/proc\/rt-slo-report" is on the pseudo file system \/proc/],
    [{ outputDir: '/sys/x' }, /is on the pseudo file system \/sys/],
    [{ slos: { x: { tier: 'must', description: 3 } } }, /option slos\["x"\]\.description must be a string; received 3/],
  ])('%j is refused with a TypeError naming the option', (options, message) => {
    expect(() => resolveOptions(options, root)).toThrow(TypeError);
    expect(() => resolveOptions(options, root)).toThrow(message);
  });

  test('every message names the package and where to read more', () => {
    expect(() => resolveOptions({ failOn: 1 }, root)).toThrow(/^rt-slo-reporter: .*\nSee https:\/\/www\.npmjs\.com\/package\/rt-slo-reporter#reporter$/s);
  });

  describe('noGo must not be better than the target', () => {
    test.each([
      ['durations', '10us', '5us', /noGo \("5us"\) must be at least the target \("10us"\)/],
      ['sizes', '10MB', '1MB', /noGo \("1MB"\) must be at least the target \("10MB"\)/],
      ['speedup factors (higher is better)', '1000x', '2000x', /noGo \("2000x"\) must be at most the target \("1000x"\)/],
    ])('%s', (_kind, target, noGo, message) => {
      expect(() => resolveOptions({ slos: { x: { tier: 'must', target, noGo } } }, root)).toThrow(message);
    });

    test.each([
      ['durations', '10us', '100us'],
      ['equal', '10us', '10us'],
      ['mixed units', '10us', '0.1ms'],
      ['sizes', '10MB', '12MB'],
      ['factors', '1000x', '100x'],
      ['bare numbers (ms or a factor? the matcher decides)', 1000, 100],
      ['percentages (the matcher decides)', '5%', '1%'],
      ['a bare number beside a unit', 1000, '1000x'],
    ])('accepts %s', (_kind, target, noGo) => {
      expect(() => resolveOptions({ slos: { x: { tier: 'must', target, noGo } } }, root)).not.toThrow();
    });
  });

  test('an unwritable outputDir is refused up front, naming the folder', () => {
    const blocker = path.join(root, 'a-file');
    fs.writeFileSync(blocker, '');
    const dir = path.join(blocker, 'reports');
    expect(() => resolveOptions({ outputDir: dir }, root)).toThrow(TypeError);
    expect(() => resolveOptions({ outputDir: dir }, root)).toThrow(`option outputDir: cannot write report.json into ${JSON.stringify(dir)}`);
  });

  test('the writability probe leaves nothing behind', () => {
    const o = resolveOptions({ outputDir: 'r' }, root);
    expect(fs.readdirSync(o.outputDir)).toEqual([]);
  });
});
