/**
 * Starts measurement isolates (worker threads or child processes) running worker.ts, and turns
 * their messages into awaitable replies with deadlines.
 *
 * Where the worker code comes from:
 * - installed package: `dist/thread-worker.js`, beside the bundle this code lives in;
 * - this repository's own tests (ts-jest runs src/, and Jest's transform does not reach
 *   threads): the file named by THREAD_WORKER_ENV, which the test suite's global setup bundles
 *   from worker.ts (tests/fixtures/threads/bundle-worker.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { clearTimeout as timersClearTimeout, setTimeout as timersSetTimeout } from 'node:timers';
import { Worker } from 'node:worker_threads';
import { THREAD_WORKER_ENV } from '../constants';
import { noteMeasured } from '../measure/fidelity';
import type { ErrorMessage, FromIsolate, ToIsolate } from './protocol';

/**
 * node:timers' own timers, captured when this module loads: jest.useFakeTimers() replaces the
 * global ones, and on the real global (jest-light-runner, bare Node) also node:timers' exports,
 * so a deadline read at call time would never fire.
 */
const realSetTimeout = timersSetTimeout;
const realClearTimeout = timersClearTimeout;

export const BUNDLED_WORKER = 'thread-worker.js';
/** Last bytes of a child's stderr kept for an error message. */
const STDERR_TAIL_BYTES = 4096;

export type Isolation = 'thread' | 'process';

/** The folder of the code running this file: dist/ when bundled, src/threads/ under ts-jest. */
function ownDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  // ESM build (no __dirname): find our installed package from the project.
  const req = Module.createRequire(path.join(process.cwd(), 'package.json'));
  return path.join(path.dirname(req.resolve('rt-slo-reporter/package.json')), 'dist');
}

let cachedEntry: string | undefined;

/** The worker script: beside this bundle when installed, else the one the environment names. */
function workerEntry(): string {
  if (cachedEntry) return cachedEntry;
  const bundled = path.join(ownDir(), BUNDLED_WORKER);
  if (fs.existsSync(bundled)) return (cachedEntry = bundled);
  const named = process.env[THREAD_WORKER_ENV];
  if (named && fs.existsSync(named)) return (cachedEntry = named);
  throw new Error(`rt-slo-reporter: cannot find the thread worker (looked for ${bundled}${named ? ` and ${named}` : ''}); reinstall or rebuild the package (npm run build)`);
}

/** A failure reported by, or observed on, an isolate. */
export class IsolateFailure extends Error {
  constructor(
    message: string,
    readonly phase: ErrorMessage['phase'] | 'exit' | 'timeout' | 'spawn',
    readonly isolateStack?: string,
  ) {
    super(message);
    this.name = 'IsolateFailure';
  }
}

type Waiter = { resolve: (m: FromIsolate) => void; reject: (e: Error) => void };

/** One isolate: send a request, await its one reply (or its death, or a deadline). */
export class Isolate {
  private readonly queue: FromIsolate[] = [];
  private waiter?: Waiter;
  private failure?: IsolateFailure;
  private closing = false;
  private readonly exited: Promise<void>;
  private readonly worker?: Worker;
  private readonly child?: ChildProcess;
  private stderrTail = '';

  constructor(readonly kind: Isolation) {
    const entry = workerEntry();
    // What this isolate measures is measured there, outside any sandbox: the record says so.
    noteMeasured(kind);
    let onExit!: () => void;
    this.exited = new Promise<void>((resolve) => (onExit = resolve));
    if (kind === 'thread') {
      const w = new Worker(entry);
      this.worker = w;
      w.on('message', (m: FromIsolate) => this.deliver(m));
      w.on('error', (e: Error) => this.fail(new IsolateFailure(`the thread crashed: ${e?.message ?? String(e)}`, 'exit', e?.stack)));
      w.on('exit', (code) => {
        onExit();
        this.fail(new IsolateFailure(`the thread exited (code ${code}) before replying`, 'exit'));
      });
    } else {
            // 'advanced' serialization carries typed arrays; no inherited execArgv (Jest's flags).
      const c = spawn(process.execPath, [entry], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced', env: process.env });
      this.child = c;
      c.stderr?.on('data', (chunk: Buffer) => {
        this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL_BYTES);
      });
      c.on('message', (m) => this.deliver(m as FromIsolate));
      c.on('error', (e) => {
        if (c.pid === undefined) onExit(); // never started: no 'exit' will follow
        this.fail(new IsolateFailure(`cannot start a child process: ${e.message}`, 'spawn'));
      });
      c.on('exit', (code, signal) => {
        onExit();
        const tail = this.stderrTail.trim();
        this.fail(new IsolateFailure(`the child process exited (${signal ?? `code ${code}`}) before replying${tail ? `; stderr: ${tail}` : ''}`, 'exit'));
      });
    }
  }

  send(message: ToIsolate): void {
    if (this.failure) throw this.failure;
    if (this.worker) this.worker.postMessage(message);
    else this.child?.send(message);
  }

  /** The next reply; an `error` reply, a crash, an exit or the deadline rejects. */
  next(timeoutMs: number, what: string): Promise<FromIsolate> {
    const queued = this.queue.shift();
    if (queued) return settle(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<FromIsolate>((resolve, reject) => {
      const timer = realSetTimeout(() => {
        this.waiter = undefined;
        reject(new IsolateFailure(`no reply within ${Math.round(timeoutMs)} ms while ${what}`, 'timeout'));
      }, timeoutMs);
      const done = (f: () => void): void => {
        realClearTimeout(timer);
        this.waiter = undefined;
        f();
      };
      this.waiter = {
        resolve: (m) => done(() => settle(m).then(resolve, reject)),
        reject: (e) => done(() => reject(e)),
      };
    });
  }

  /** Ends the isolate and waits until it is gone (no handle left behind for Jest). */
  async close(): Promise<void> {
    if (this.closing) return this.exited;
    this.closing = true;
    // A pending reply will never come: settle it now so its deadline timer is cleared.
    this.waiter?.reject(new IsolateFailure('the isolate was closed', 'exit'));
    if (this.worker) await this.worker.terminate();
    else if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  private deliver(m: FromIsolate): void {
    if (this.waiter) this.waiter.resolve(m);
    else this.queue.push(m);
  }

  private fail(e: IsolateFailure): void {
    if (this.closing) return;
    this.failure ??= e;
    this.waiter?.reject(this.failure);
  }
}

function settle(m: FromIsolate): Promise<FromIsolate> {
  if (m.type === 'error') return Promise.reject(new IsolateFailure(m.message, m.phase, m.stack));
  return Promise.resolve(m);
}
