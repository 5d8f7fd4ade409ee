// @ts-check
/**
 * The startup entry for toStartUnder(startup(...)): each run is a fresh worker thread that
 * requires this file and calls `firstAccess()` once — the plan's first_access, the lazy
 * initialisation of the global runtime (spawn its thread, boot it, handshake).
 *
 * Plain JavaScript in front of runtime.ts, through the transpile cache: the cold start then
 * counts the runtime's own start-up, as compiled code would have it, and not a TypeScript
 * compiler (loading it costs each fresh isolate ~0.5–2 s on the 2-core CI machine, and its
 * background compilation slowed the runtime thread's boot there to 110–220 ms, from ~45 ms).
 */
'use strict';
require('./transpile-cache.js').installTranspileCache();
const { getRuntime } = require('./runtime.ts');

/** Starts the global runtime (first access) and returns how long its start took, in ms. */
exports.firstAccess = () => getRuntime().startMs;
