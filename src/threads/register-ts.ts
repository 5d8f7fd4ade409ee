/**
 * Lets a worker thread `require()` TypeScript modules. Jest's transform (ts-jest) does not run
 * inside worker_threads, so a thread task written in TypeScript is transpiled here, per file,
 * with the project's own `typescript` (types are not checked: ts-jest already did that).
 *
 * Usage inside a worker: `require('rt-slo-reporter/register-ts')` before requiring a .ts module,
 * or pass `execArgv: ['--require', require.resolve('rt-slo-reporter/register-ts')]`.
 */
import fs from 'node:fs';
import Module from 'node:module';

type CompileFn = (content: string, filename: string) => unknown;
type Loader = (module: Module, filename: string) => void;

const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];
const FLAG = Symbol.for('rt-slo-reporter.register-ts');

export function registerTypeScript(): void {
  const g = globalThis as { [FLAG]?: boolean };
  if (g[FLAG]) return;
  g[FLAG] = true;
  let ts: typeof import('typescript');
  const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
  const loader: Loader = (module, filename) => {
    ts ??= loadTypeScript(filename);
    const source = fs.readFileSync(filename, 'utf8');
    const out = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        sourceMap: false,
        inlineSourceMap: true,
        inlineSources: true,
      },
    });
    (module as unknown as { _compile: CompileFn })._compile(out.outputText, filename);
  };
  for (const ext of TS_EXTENSIONS) extensions[ext] = loader;
}

function loadTypeScript(filename: string): typeof import('typescript') {
  try {
    // Resolve from the task's own project first, then from wherever we are installed.
    return Module.createRequire(filename)('typescript');
  } catch {
    try {
      return require('typescript');
    } catch {
      throw new Error(
        `rt-slo-reporter: cannot load the TypeScript thread module ${filename}: the "typescript" package is not installed. Install it (npm i -D typescript) or point the task at a .js module.`,
      );
    }
  }
}

registerTypeScript();
