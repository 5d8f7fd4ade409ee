/**
 * The reporter's options, checked in its constructor so a bad configuration stops the run
 * before any test starts, with a TypeError that names the option and what it accepts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DECLARED_FORMS, readDeclared, type SloDeclaration, type SloDeclarations } from '../declarations';
import { TIERS, type Tier } from '../types';
import { show } from '../units/duration';

/** Where to read about the reporter's options. */
export const REPORTER_DOCS = 'https://www.npmjs.com/package/rt-slo-reporter#reporter';

/** What fails the run: a NO-GO (default), any warning as well, or nothing. */
export type FailOn = 'no-go' | 'warnings' | 'never';
export const FAIL_ON: readonly FailOn[] = ['no-go', 'warnings', 'never'];

/** Default `failOn`: CI fails on NO-GO only, as the global-runtime benchmark plan's decision rule says. */
export const DEFAULT_FAIL_ON: FailOn = 'no-go';

/** Default `outputDir`, relative to Jest's rootDir. */
export const DEFAULT_OUTPUT_DIR = 'slo-report';

/** The options of `['rt-slo-reporter', options]` in Jest's `reporters`. */
export interface SloReporterOptions {
  /** Central SLO declarations: `{ '<name>': { tier, target?, noGo?, description? } }`. */
  slos?: SloDeclarations;
  /** What fails the run (default `'no-go'`). */
  failOn?: FailOn;
  /** Folder for report.json, relative to Jest's rootDir (default `'slo-report'`). */
  outputDir?: string;
  /** Criterion-style detail per row (default: Jest's `--verbose`). */
  verbose?: boolean;
}

/** Options after checking, with defaults applied and paths made absolute. */
export interface ResolvedOptions {
  slos: SloDeclarations;
  failOn: FailOn;
  /** Absolute. */
  outputDir: string;
  /** Undefined: follow Jest's `verbose`. */
  verbose: boolean | undefined;
}

/** A bad reporter option: names the option, shows the value, lists what is accepted. */
export class ReporterOptionError extends TypeError {
  constructor(message: string) {
    super(`rt-slo-reporter: ${message}\nSee ${REPORTER_DOCS}`);
    this.name = 'TypeError';
  }
}

const OPTION_KEYS = ['slos', 'failOn', 'outputDir', 'verbose'] as const;
const DECLARATION_KEYS = ['tier', 'target', 'noGo', 'description'] as const;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function quoted(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

/** Checks the reporter's options and applies the defaults. Throws ReporterOptionError. */
export function resolveOptions(options: unknown, rootDir: string): ResolvedOptions {
  if (options === undefined || options === null) options = {};
  if (!isPlainObject(options)) throw new ReporterOptionError(`options must be an object; received ${show(options)}`);
  for (const key of Object.keys(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw new ReporterOptionError(`unknown option ${JSON.stringify(key)}; accepted options: ${OPTION_KEYS.join(', ')}`);
    }
  }
  const { slos, failOn, outputDir, verbose } = options as SloReporterOptions;
  if (failOn !== undefined && !FAIL_ON.includes(failOn)) {
    throw new ReporterOptionError(`option failOn must be one of ${quoted(FAIL_ON)}; received ${show(failOn)}`);
  }
  if (outputDir !== undefined && (typeof outputDir !== 'string' || outputDir.length === 0)) {
    throw new ReporterOptionError(`option outputDir must be a non-empty string (a folder, relative to Jest's rootDir); received ${show(outputDir)}`);
  }
  if (verbose !== undefined && typeof verbose !== 'boolean') {
    throw new ReporterOptionError(`option verbose must be true or false; received ${show(verbose)}`);
  }
  const dir = path.resolve(rootDir, outputDir ?? DEFAULT_OUTPUT_DIR);
  checkWritable(dir);
  return { slos: checkDeclarations(slos), failOn: failOn ?? DEFAULT_FAIL_ON, outputDir: dir, verbose };
}

/**
 * Pseudo file systems: Node 20's `fs.mkdirSync(p, { recursive: true })` hangs under /proc, and
 * nothing there or under /sys keeps a report. /dev/shm is a real tmpfs and stays allowed.
 */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];
const PSEUDO_ALLOWED = ['/dev/shm'];

function under(dir: string, root: string): boolean {
  return dir === root || dir.startsWith(`${root}/`);
}

/** The pseudo file system `dir` lies on (after following symlinks of its existing part), if any. */
export function pseudoRoot(dir: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  let real = dir;
  // The deepest existing ancestor, resolved: a symlink into /proc counts as /proc.
  let existing = dir;
  const rest: string[] = [];
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
    rest.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  try {
    real = path.join(fs.realpathSync(existing), ...rest);
  } catch {
    real = dir;
  }
  for (const candidate of [dir, real]) {
    if (PSEUDO_ALLOWED.some((a) => under(candidate, a))) continue;
    const root = PSEUDO_ROOTS.find((r) => under(candidate, r));
    if (root) return root;
  }
  return undefined;
}

/** Creates `dir` one level at a time: no recursive mkdir, which can hang on pseudo file systems. */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = dir;
  while (!fs.existsSync(d) && path.dirname(d) !== d) {
    missing.unshift(d);
    d = path.dirname(d);
  }
  for (const m of missing) {
    try {
      fs.mkdirSync(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Creates the output folder and writes a probe file: the only check that holds for root too. */
function checkWritable(dir: string): void {
  const pseudo = pseudoRoot(dir);
  if (pseudo) {
    throw new ReporterOptionError(`option outputDir ${JSON.stringify(dir)} is on the pseudo file system ${pseudo}, which cannot hold report.json; choose a folder on a real disk (default 'slo-report' under Jest's rootDir)`);
  }
  const probe = path.join(dir, `.rt-slo-probe-${process.pid}`);
  try {
    makeDirs(dir);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
  } catch (e) {
    throw new ReporterOptionError(`option outputDir: cannot write report.json into ${JSON.stringify(dir)} (${(e as Error).message}); choose a writable folder`);
  }
}

/** Checks the `slos` option: an object of declarations, each with a known tier. */
export function checkDeclarations(slos: unknown): SloDeclarations {
  if (slos === undefined) return {};
  if (!isPlainObject(slos)) {
    throw new ReporterOptionError(`option slos must be an object mapping SLO names to { tier, target?, noGo?, description? }; received ${show(slos)}`);
  }
  const out: SloDeclarations = {};
  for (const [name, decl] of Object.entries(slos)) {
    const where = `slos[${JSON.stringify(name)}]`;
    if (name.length === 0) throw new ReporterOptionError('option slos: an SLO name must be a non-empty string; received ""');
    if (!isPlainObject(decl)) throw new ReporterOptionError(`option ${where} must be an object { tier, target?, noGo?, description? }; received ${show(decl)}`);
    for (const key of Object.keys(decl)) {
      if (!(DECLARATION_KEYS as readonly string[]).includes(key)) {
        throw new ReporterOptionError(`option ${where}: unknown key ${JSON.stringify(key)}; accepted keys: ${DECLARATION_KEYS.join(', ')}`);
      }
    }
    if (!TIERS.includes(decl.tier as Tier)) throw new ReporterOptionError(`option ${where}.tier must be one of ${quoted(TIERS)}; received ${show(decl.tier)}`);
    const families: Partial<Record<'target' | 'noGo', string>> = {};
    for (const key of ['target', 'noGo'] as const) {
      const v = decl[key];
      if (v === undefined) continue;
      const read = readDeclared(v);
      if (!read) throw new ReporterOptionError(`option ${where}.${key} must be ${DECLARED_FORMS}; received ${show(v)}`);
      if (read.family !== 'number') families[key] = read.family;
    }
    if (families.target && families.noGo && families.target !== families.noGo) {
      throw new ReporterOptionError(
        `option ${where}: target ${show(decl.target)} is ${article(families.target)} but noGo ${show(decl.noGo)} is ${article(families.noGo)}; a row's target and NO-GO limit are in one unit`,
      );
    }
    if (decl.description !== undefined && typeof decl.description !== 'string') {
      throw new ReporterOptionError(`option ${where}.description must be a string; received ${show(decl.description)}`);
    }
    checkLimitOrder(where, decl as unknown as SloDeclaration);
    out[name] = decl as unknown as SloDeclaration;
  }
  return out;
}

/** A declared value read in one unit family, in that family's record unit, with its better direction. */
export interface ParsedDeclared {
  family: 'duration' | 'size' | 'factor';
  unit: 'ns' | 'bytes' | 'x';
  value: number;
  better: 'lower' | 'higher';
}

function article(family: string): string {
  return family === 'size' ? 'a size' : family === 'duration' ? 'a duration' : family === 'factor' ? 'a factor' : 'a percentage';
}

/** Record unit and better direction of the families a declaration spells unambiguously. */
const FAMILY_UNITS = {
  duration: { unit: 'ns', better: 'lower' },
  size: { unit: 'bytes', better: 'lower' },
  factor: { unit: 'x', better: 'higher' },
} as const;

/**
 * Reads a declared string in the one family it unambiguously belongs to. Bare numbers (ms? a
 * factor?) and percentages (no fixed better direction) are left to the matcher, which knows.
 */
export function parseDeclared(v: SloDeclaration['target']): ParsedDeclared | undefined {
  if (typeof v !== 'string') return undefined;
  const read = readDeclared(v);
  if (!read || !(read.family in FAMILY_UNITS)) return undefined;
  const family = read.family as keyof typeof FAMILY_UNITS;
  return { family, value: read.value, ...FAMILY_UNITS[family] };
}

/** The NO-GO limit lies beyond the target (FAIL is worse than WARN), never on its better side. */
function checkLimitOrder(where: string, decl: SloDeclaration): void {
  if (decl.target === undefined || decl.noGo === undefined) return;
  const t = parseDeclared(decl.target);
  const n = parseDeclared(decl.noGo);
  if (!t || !n || t.family !== n.family) return;
  const better = t.better === 'lower' ? n.value < t.value : n.value > t.value;
  if (better) {
    const side = t.better === 'lower' ? 'at least' : 'at most';
    throw new ReporterOptionError(
      `option ${where}.noGo (${show(decl.noGo)}) must be ${side} the target (${show(decl.target)}): it is the hard limit beyond the target, where WARN turns into FAIL`,
    );
  }
}
