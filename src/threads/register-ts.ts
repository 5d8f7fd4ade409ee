/**
 * Lets a worker thread `require()` TypeScript modules (see typescript-hook.ts).
 *
 * Usage inside a worker: `require('rt-slo-reporter/register-ts')` before requiring a .ts module,
 * or pass `execArgv: ['--require', require.resolve('rt-slo-reporter/register-ts')]`.
 */
import { registerTypeScript } from './typescript-hook';

export { registerTypeScript };

registerTypeScript();
