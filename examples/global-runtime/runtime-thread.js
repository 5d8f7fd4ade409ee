// @ts-check
/**
 * The runtime thread: an event loop that serves execute() calls from a queue in shared memory.
 * The layout comes from runtime.ts in workerData, so the protocol is defined once.
 *
 * Why plain JavaScript: a worker_thread cannot run Jest's transform, and loading the TypeScript
 * compiler costs 0.4–0.55 s and ~22 MB of heap per thread (measured on the 2-core CI machine).
 * The runtime's own code must not pay that at every start; only task modules written in
 * TypeScript need the compiler, and transpile-cache.js makes that a once-per-machine cost.
 *
 * Loop: scan the slots for requests, run each task (sync tasks answer inline, async ones when
 * they settle), then sleep on the doorbell — with a blocking Atomics.wait when no task is in
 * flight (the fastest wake-up), with Atomics.waitAsync while tasks are pending (their timers
 * and I/O need the event loop).
 */
'use strict';
const v8 = require('node:v8');
const vm = require('node:vm');
const { receiveMessageOnPort, threadId, workerData } = require('node:worker_threads');
const { installTranspileCache } = require('./transpile-cache.js');

const { handle, layout: L, port, index, spin } = workerData;
const H = L.H;
const ctrl = new Int32Array(handle.control);
const f64 = new Float64Array(handle.control);
const buf = Buffer.from(handle.control);
const stride = L.SLOT_HEADER_BYTES + handle.slotBytes;
/** This thread's private slot (internal requests such as memory()), after the common slots. */
const privateSlot = handle.slots + index;

const word = (/** @type {number} */ slot, /** @type {number} */ field) => (L.HEADER_BYTES + slot * stride) / 4 + field;
const dataOffset = (/** @type {number} */ slot) => L.HEADER_BYTES + slot * stride + L.SLOT_HEADER_BYTES;

/** Reports a boot failure or crash to every caller through the header, then wakes them all. */
function die(/** @type {unknown} */ error) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const n = buf.write(text, L.HEADER_WORDS * 4, L.HEADER_BYTES - L.HEADER_WORDS * 4, 'utf8');
  Atomics.store(ctrl, H.TEXT_LENGTH, n);
  Atomics.store(ctrl, H.DEAD, 1);
  Atomics.notify(ctrl, H.READY);
  for (let i = 0; i < handle.slots + handle.threads; i++) Atomics.notify(ctrl, word(i, L.S.STATE));
}

/** @type {Map<string, Function>} */
const taskCache = new Map();

function loadTask(/** @type {string} */ module, /** @type {string} */ name) {
  const key = `${module}\0${name}`;
  let fn = taskCache.get(key);
  if (fn) return fn;
  const exports = require(module);
  fn = exports[name];
  if (typeof fn !== 'function') {
    const names = Object.keys(exports).filter((k) => typeof exports[k] === 'function');
    throw new TypeError(`task ${name} not found: ${module} has no function export named ${JSON.stringify(name)} (function exports: ${names.join(', ') || 'none'})`);
  }
  taskCache.set(key, fn);
  return fn;
}

/** @type {((o?: { type: 'major' | 'minor' }) => void) | undefined} */
let gcFn;
/** V8's gc() without --expose-gc: the flag holds for contexts created after it is set. */
function gc() {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc');
    try {
      gcFn = vm.runInNewContext('gc');
    } finally {
      v8.setFlagsFromString('--no-expose-gc');
    }
  }
  const f = /** @type {(o?: { type: 'major' | 'minor' }) => void} */ (gcFn);
  f();
  // Backing stores freed by a full GC leave the books at the next GC (see rt-slo-reporter's memory.ts).
  f({ type: 'minor' });
}

/** Requests the runtime answers itself. */
const internal = {
  memory(/** @type {boolean} */ collect) {
    if (collect) gc();
    const h = v8.getHeapStatistics();
    return { heapCommitted: h.total_heap_size, heapUsed: h.used_heap_size, external: h.external_memory, threadId };
  },
};

function serialiseError(/** @type {unknown} */ e) {
  if (e instanceof Error) {
    /** @type {{ name: string, message: string, stack?: string, code?: string }} */
    const w = { name: e.name, message: e.message, stack: e.stack };
    const code = /** @type {{ code?: unknown }} */ (e).code;
    if (typeof code === 'string') w.code = code;
    return w;
  }
  return { name: 'Error', message: `task threw a non-Error value: ${typeof e === 'string' ? e : safeJson(e)}` };
}

function safeJson(/** @type {unknown} */ v) {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Writes a payload into a slot; returns false when it does not fit. */
function writePayload(/** @type {number} */ slot, /** @type {unknown} */ value) {
  if (value === undefined) {
    Atomics.store(ctrl, word(slot, L.S.KIND), L.KIND_UNDEFINED);
    return true;
  }
  if (typeof value === 'number') {
    f64[dataOffset(slot) / 8] = value;
    Atomics.store(ctrl, word(slot, L.S.KIND), L.KIND_NUMBER);
    return true;
  }
  const json = JSON.stringify(value);
  if (json === undefined) return writePayload(slot, undefined); // functions, symbols: as JSON.stringify drops them
  const n = buf.write(json, dataOffset(slot), handle.slotBytes, 'utf8');
  if (n === handle.slotBytes && Buffer.byteLength(json) > handle.slotBytes) return false;
  Atomics.store(ctrl, word(slot, L.S.LENGTH), n);
  Atomics.store(ctrl, word(slot, L.S.KIND), L.KIND_JSON);
  return true;
}

function finish(/** @type {number} */ slot, /** @type {boolean} */ ok, /** @type {unknown} */ value) {
  let state = ok ? L.DONE : L.FAILED;
  let fits;
  try {
    fits = writePayload(slot, ok ? value : serialiseError(value));
  } catch (e) {
    // A result JSON cannot carry (BigInt, a cycle) becomes the caller's error.
    state = L.FAILED;
    fits = writePayload(slot, serialiseError(new TypeError(`the task's result cannot be sent back as JSON: ${/** @type {Error} */ (e).message}`)));
  }
  if (!fits) {
    state = L.FAILED;
    writePayload(slot, { name: 'RangeError', message: `the task's ${ok ? 'result' : 'error'} is larger than a slot holds (${handle.slotBytes} bytes; option slotBytes)` });
  }
  Atomics.store(ctrl, word(slot, L.S.STATE), state);
  Atomics.notify(ctrl, word(slot, L.S.STATE));
}

let inflight = 0;
/** @type {(() => void) | undefined} */
let onIdle;

function settle() {
  if (--inflight === 0 && onIdle) {
    const f = onIdle;
    onIdle = undefined;
    f();
  }
}

/**
 * Runs one call. `reply` writes the answer: into the slot (shared-buffer transport) or onto
 * the port (message-port transport).
 */
function run(/** @type {string} */ module, /** @type {string} */ name, /** @type {unknown[]} */ args, /** @type {(ok: boolean, v: unknown) => void} */ reply) {
  let result;
  try {
    if (module === L.INTERNAL) result = /** @type {any} */ (internal)[name](...args);
    else result = loadTask(module, name)(...args);
  } catch (e) {
    return reply(false, e);
  }
  if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
    inflight++;
    result.then(
      (/** @type {unknown} */ v) => {
        settle();
        reply(true, v);
      },
      (/** @type {unknown} */ e) => {
        settle();
        reply(false, e);
      },
    );
  } else reply(true, result);
}

function serveSlot(/** @type {number} */ slot) {
  const state = word(slot, L.S.STATE);
  if (Atomics.load(ctrl, state) !== L.REQUEST) return false;
  // In a pool several threads may see the same request: the CAS gives it to exactly one.
  if (Atomics.compareExchange(ctrl, state, L.REQUEST, L.RUNNING) !== L.REQUEST) return false;
  let req;
  try {
    const at = dataOffset(slot);
    req = JSON.parse(buf.toString('utf8', at, at + Atomics.load(ctrl, word(slot, L.S.LENGTH))));
  } catch (e) {
    finish(slot, false, e);
    return true;
  }
  run(req[0], req[1], req[2], (ok, v) => finish(slot, ok, v));
  return true;
}

function replyOnPort(/** @type {boolean} */ ok, /** @type {unknown} */ value) {
  try {
    port.postMessage({ ok, value: ok ? value : serialiseError(value) });
  } catch (e) {
    port.postMessage({ ok: false, value: serialiseError(e) });
  }
  Atomics.store(ctrl, H.PORT_REPLY, 1);
  Atomics.notify(ctrl, H.PORT_REPLY);
}

/** Serves every pending request once; returns how many. */
function scan() {
  let served = 0;
  for (let i = 0; i < handle.slots; i++) if (serveSlot(i)) served++;
  if (serveSlot(privateSlot)) served++;
  if (port) {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      const [module, name, args] = m.message;
      run(module, name, args, replyOnPort);
      served++;
    }
  }
  return served;
}

async function loop() {
  for (;;) {
    // Read the doorbell before scanning: a request posted after the scan changes it, so the
    // wait below returns at once instead of sleeping through it (no lost wake-up).
    const seen = Atomics.load(ctrl, H.DOORBELL);
    if (Atomics.load(ctrl, H.STOP) !== 0) return;
    if (scan() > 0) {
      await null; // let tasks that settle in microtasks answer before we rescan
      continue;
    }
    if (inflight === 0) {
      for (let i = 0; i < spin && Atomics.load(ctrl, H.DOORBELL) === seen; i++);
      Atomics.wait(ctrl, H.DOORBELL, seen);
    } else {
      const idle = new Promise((resolve) => {
        onIdle = () => resolve(undefined);
      });
      const w = Atomics.waitAsync(ctrl, H.DOORBELL, seen);
      await (w.async ? Promise.race([w.value, idle]) : null);
      onIdle = undefined;
    }
  }
}

process.on('uncaughtException', (e) => {
  die(e);
  process.exit(1);
});

try {
  installTranspileCache();
  if (port) port.unref();
} catch (e) {
  die(e);
  throw e;
}
Atomics.add(ctrl, H.READY, 1);
Atomics.notify(ctrl, H.READY);
loop().catch((e) => {
  die(e);
  process.exit(1);
});
