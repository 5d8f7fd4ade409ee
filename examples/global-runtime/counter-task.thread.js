// @ts-check
/**
 * The thread entry of counter-task.ts for inThreads(): plain JavaScript that installs the
 * transpile cache, so the 16 caller threads load the runtime's TypeScript from the cache
 * instead of each loading the TypeScript compiler (0.3–0.5 s of CPU per thread on 2 cores:
 * 16 threads took 26 s to start on the loaded CI machine; from the cache they start in ms).
 */
'use strict';
require('./transpile-cache.js').installTranspileCache();
module.exports = require('./counter-task.ts');
