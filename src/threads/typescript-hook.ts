/**
 * Lets a worker thread (or a child process) `require()` TypeScript modules. Jest's transform
 * (ts-jest) does not run inside worker_threads, so a thread task written in TypeScript is
 * transpiled here, per file, with the project's own `typescript` (types are not checked:
 * ts-jest or tsc already did that). No side effect on import: call `registerTypeScript()`.
 */
import fs from 'node:fs';
import Module from 'node:module';

type CompileFn = (content: string, filename: string) => unknown;
type Loader = (module: Module, filename: string) => void;
type TypeScript = typeof import('typescript');

export const TS_EXTENSIONS: readonly string[] = ['.ts', '.tsx', '.mts', '.cts'];
const FLAG = Symbol.for('rt-slo-reporter.register-ts');

/** Whether a file needs the hook to be required. */
export function isTypeScriptFile(filename: string): boolean {
  return TS_EXTENSIONS.some((ext) => filename.endsWith(ext)) && !filename.endsWith('.d.ts');
}

let ts: TypeScript | undefined;
/** Output of files transpiled ahead of a timed require (preloadTypeScript), used once. */
const pretranspiled = new Map<string, string>();

/** A TypeScript file as CommonJS (loads the compiler on first use). */
export function transpileFile(filename: string): string {
  ts ??= loadTypeScript(filename);
  const source = fs.readFileSync(filename, 'utf8');
  return ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: false,
      inlineSourceMap: true,
      inlineSources: true,
    },
  }).outputText;
}

/** Installs the `.ts` loaders once per isolate (idempotent across bundles: the flag is global). */
export function registerTypeScript(): void {
  const g = globalThis as { [FLAG]?: boolean };
  if (g[FLAG]) return;
  g[FLAG] = true;
  const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
  const loader: Loader = (module, filename) => {
    const code = pretranspiled.get(filename) ?? transpileFile(filename);
    pretranspiled.delete(filename);
    (module as unknown as { _compile: CompileFn })._compile(code, filename);
  };
  for (const ext of TS_EXTENSIONS) extensions[ext] = loader;
}

/**
 * Loads `typescript` and transpiles `file` ahead of time, so a startup measurement of a .ts
 * module counts neither loading the compiler nor transpiling the module (production code runs
 * compiled JavaScript). TypeScript files it imports are still transpiled when required.
 */
export function preloadTypeScript(file: string): void {
  pretranspiled.set(file, transpileFile(file));
}

/** Uses `code` (transpiled elsewhere) the next time `file` is required: no compiler needed for it. */
export function useTranspiled(file: string, code: string): void {
  pretranspiled.set(file, code);
}

function loadTypeScript(filename: string): TypeScript {
  try {
    // Resolve from the task's own project first, then from wherever we are installed.
    return Module.createRequire(filename)('typescript') as TypeScript;
  } catch {
    try {
      return require('typescript') as TypeScript;
    } catch {
      throw new Error(
        `rt-slo-reporter: cannot load the TypeScript thread module ${filename}: the "typescript" package is not installed. Install it (npm i -D typescript) or point the task at a .js module.`,
      );
    }
  }
}
