/**
 * The production-fidelity path that stays in Jest's default environment: load the code under
 * test with Node's own module system, so it is compiled in the main context rather than in the
 * test file's VM sandbox, and measure it with the same engine. Its global lookups then cost what
 * they cost in production (see docs/fidelity.md).
 */
import Module from 'node:module';
import { compileInMainContext, markMainContext } from '../measure/fidelity';
import { show } from '../units/duration';
import { checkKeys, checkModule, checkName, TaskArgumentError } from './task';
import { isTypeScriptFile, registerTypeScript } from './typescript-hook';

export interface OutsideSandboxOptions {
  /** Arguments passed to the export on every call (or, with `factory`, to its one call). Passed as they are, not copied. */
  args?: unknown[];
  /**
   * The export is a factory: it is called once with `args` (outside the measurement) and the
   * function it returns is what gets measured, with no arguments. Default false.
   */
  factory?: boolean;
}

type Fn = (...args: unknown[]) => unknown;

/**
 * Node's real `Module`. Inside Jest, `require('node:module')` is a subclass of it whose
 * `createRequire` returns Jest's own require (modules compiled in the sandbox); the class it
 * extends is Node's, whose `createRequire` loads through Node's loader into the main context.
 */
function nodeModule(): typeof Module {
  let m: typeof Module = Module;
  for (let parent: unknown = Object.getPrototypeOf(m); typeof parent === 'function' && typeof (parent as typeof Module).createRequire === 'function'; parent = Object.getPrototypeOf(m)) {
    m = parent as typeof Module;
  }
  return m;
}

/** Thunks made so far: each gets its own source, so no two share a call site's type feedback (see loop.ts). */
let thunks = 0;

/**
 * A no-argument function calling `fn(...args)`, compiled in the main context: the arguments
 * are bound to constants so the call inside is a plain, monomorphic call.
 */
function mainContextThunk(fn: Fn, args: readonly unknown[]): () => unknown {
  const names = args.map((_, i) => `a${i}`);
  const binds = names.map((n, i) => `const ${n} = args[${i}];`).join(' ');
  const source = `(function (fn, args) { ${binds} return () => fn(${names.join(', ')}); }) // outsideSandbox ${++thunks}`;
  return compileInMainContext<(f: Fn, a: readonly unknown[]) => () => unknown>(source)(fn, args);
}

/**
 * Loads `modulePath` outside Jest's VM sandbox and returns a function calling its export
 * `exportName` with `options.args`, for any timing matcher: `toRunUnder`, either side of
 * `toBeFasterThan` and `toHaveOverheadUnder`. The module is loaded by Node's own module system
 * (TypeScript through the same transpile hook as the thread form), so its code runs at
 * production speed inside a default Jest environment, and records say `main-context`.
 *
 * What you give up: Jest's module registry. Mocks (`jest.mock`) and Jest transforms do not apply
 * to the module or to what it requires, and it is loaded once per worker process (Node's module
 * cache), not once per test file.
 *
 * @example
 * const equal = outsideSandbox(require.resolve('fast-deep-equal'), 'default', { args: [a, b] });
 * const lodash = outsideSandbox(require.resolve('lodash.isequal'), 'default', { args: [a, b] });
 * await expect(equal).toBeFasterThan(lodash, { by: 2 });
 * // a factory builds the measured function once:
 * await expect(outsideSandbox(require.resolve('./parser'), 'makeParser', { args: [grammar], factory: true })).toRunUnder('5us');
 */
export function outsideSandbox(modulePath: string, exportName: string, options?: OutsideSandboxOptions): () => unknown {
  const name = 'outsideSandbox';
  const file = checkModule(name, modulePath, outsideSandbox);
  const exported = checkName(name, 'exportName', exportName, outsideSandbox);
  const opts = checkKeys(name, options, ['args', 'factory'], outsideSandbox);
  const args = opts.args ?? [];
  if (!Array.isArray(args)) throw new TaskArgumentError(name, `option args must be an array; received ${show(args)}`, outsideSandbox);
  if (opts.factory !== undefined && typeof opts.factory !== 'boolean') throw new TaskArgumentError(name, `option factory must be true or false; received ${show(opts.factory)}`, outsideSandbox);
  if (/\.mjs$/.test(file)) throw new TaskArgumentError(name, `cannot load an ES module synchronously (${show(file)}): point it at a CommonJS or TypeScript module`, outsideSandbox);
  if (isTypeScriptFile(file)) registerTypeScript();
  const mod = nodeModule().createRequire(file)(file) as Record<string, unknown> | Fn;
  // A CommonJS module exporting one function (module.exports = fn) is its own 'default'.
  const target = exported === 'default' && typeof mod === 'function' ? mod : (mod as Record<string, unknown>)[exported];
  if (typeof target !== 'function') {
    throw new TaskArgumentError(name, `${show(file)} exports no function ${JSON.stringify(exported)} (found ${show(target)})`, outsideSandbox);
  }
  let measured = target as Fn;
  let callArgs: readonly unknown[] = args;
  if (opts.factory === true) {
    const made = measured(...args);
    if (typeof made !== 'function') throw new TaskArgumentError(name, `factory ${JSON.stringify(exported)} returned ${show(made)}, not a function to measure`, outsideSandbox);
    measured = made as Fn;
    callArgs = [];
  }
  const thunk = markMainContext(mainContextThunk(measured, callArgs));
  Object.defineProperty(thunk, 'name', { value: `${exported} (outside the sandbox)` });
  return thunk;
}
