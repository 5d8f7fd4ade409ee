// @ts-check
/**
 * The thread entry of counter-task.ts for inThreads(): plain JavaScript that installs the
 * transpile cache, so the 16 caller threads load the runtime's TypeScript from the cache.
 * Handed counter-task.ts itself, the matcher's thread pool transpiles that file once, but every
 * thread still loads the TypeScript compiler for its import of runtime.ts: setup of 16 threads
 * took 17.8 s that way on the loaded 2-core CI machine, 2–2.6 s through this entry.
 */
'use strict';
require('./transpile-cache.js').installTranspileCache();
module.exports = require('./counter-task.ts');
