// @ts-check
/**
 * A .ts require hook in front of the package's (rt-slo-reporter/register-ts) for threads:
 * transpiled code is cached on disk by content hash, so a thread whose TypeScript modules were
 * seen before never loads the TypeScript compiler (0.4–0.55 s and ~22 MB of heap per thread,
 * measured on the 2-core CI machine). On a miss, the package's hook transpiles, and the code it
 * compiles is kept. Plain JavaScript because it runs before any TypeScript can be loaded.
 */
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const { threadId } = require('node:worker_threads');

/** One cache per user and machine, shared by every thread and run. */
const DEFAULT_CACHE_DIR = path.join(os.tmpdir(), `rt-slo-example-ts-cache-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`);

const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];

/**
 * A 53-bit string hash (cyrb53). Not node:crypto: loading crypto adds ~2.6 MB to a thread's
 * heap (measured), and the runtime thread's own memory is an SLO. The cache key also carries
 * the source's length, and a stale entry can only come from a collision of both.
 */
function hash(/** @type {string} */ text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * Installs the cached .ts loader in this thread (idempotent).
 * @param {string} [registerTs] the package's hook; found by the package's name by default
 * @param {string} [cacheDir] folder for the transpiled files
 */
function installTranspileCache(registerTs = require.resolve('rt-slo-reporter/register-ts'), cacheDir = DEFAULT_CACHE_DIR) {
  const g = /** @type {{ [k: symbol]: boolean }} */ (/** @type {unknown} */ (globalThis));
  const flag = Symbol.for('rt-slo-example.transpile-cache');
  if (g[flag]) return;
  g[flag] = true;
  /** @type {Record<string, (m: any, filename: string) => void>} */
  const extensions = /** @type {any} */ (Module)._extensions;
  // A change to the hook (compiler options) must not serve code it would no longer produce.
  const hookId = hash(fs.readFileSync(registerTs, 'utf8'));
  /** @type {((m: any, filename: string) => void) | undefined} */
  let transpile;
  const load = (/** @type {any} */ module, /** @type {string} */ filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const key = `${hash(`${hookId}\0${filename}\0${source}`)}-${source.length}`;
    const cached = path.join(cacheDir, `${key}.js`);
    let code;
    try {
      code = fs.readFileSync(cached, 'utf8');
    } catch {
      code = undefined;
    }
    if (code !== undefined) return module._compile(code, filename);
    // Threads started together all miss a cold cache: one transpiles, the others wait for it
    // instead of each loading the compiler (16 threads × 0.5 s of CPU on 2 cores).
    const lock = `${cached}.lock`;
    let locked = false;
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      locked = true;
    } catch {
      code = waitForPeer(cached, lock);
      if (code !== undefined) return module._compile(code, filename);
    }
    // Released as soon as the code is cached, before the module runs: a module body may wait
    // for its peers (a barrier), and they wait for this lock.
    const release = () => {
      if (locked) fs.rmSync(lock, { force: true });
      locked = false;
    };
    try {
      compileAndKeep(module, filename, cached, release);
    } finally {
      release();
    }
  };
  const compileAndKeep = (/** @type {any} */ module, /** @type {string} */ filename, /** @type {string} */ cached, /** @type {() => void} */ release) => {
    if (!transpile) {
      require(registerTs); // installs the package's loader for every TS extension
      transpile = extensions['.ts'];
      for (const e of TS_EXTENSIONS) extensions[e] = load;
    }
    const compile = module._compile;
    module._compile = function (/** @type {string} */ content, /** @type {string} */ name) {
      module._compile = compile;
      try {
        fs.mkdirSync(cacheDir, { recursive: true });
        const tmp = `${cached}.${process.pid}.${threadId}.tmp`;
        fs.writeFileSync(tmp, content);
        fs.renameSync(tmp, cached); // atomic: concurrent threads never read half a file
      } catch {
        // A read-only temp dir only costs speed.
      }
      release();
      return compile.call(this, content, name);
    };
    /** @type {(m: any, filename: string) => void} */ (transpile)(module, filename);
  };
  for (const e of TS_EXTENSIONS) extensions[e] = load;
}

/** Longest wait for another thread's transpile: past it (a dead peer) this thread does it. */
const PEER_TIMEOUT_MS = 20_000;
/** Poll interval while waiting for a peer. */
const PEER_POLL_MS = 5;

/** Waits while `lock` exists; returns the cached code when the peer wrote it. */
function waitForPeer(/** @type {string} */ cached, /** @type {string} */ lock) {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + PEER_TIMEOUT_MS;
  while (fs.existsSync(lock) && Date.now() < deadline) Atomics.wait(sleeper, 0, 0, PEER_POLL_MS);
  // A lock that outlived the wait belongs to a thread that died mid-transpile: clear it.
  if (Date.now() >= deadline) fs.rmSync(lock, { force: true });
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    return undefined;
  }
}

module.exports = { installTranspileCache, DEFAULT_CACHE_DIR };
