/**
 * The "global runtime" pattern of the global-runtime benchmark plan, in Node's terms.
 *
 * Rust's `execute(async { … })` blocks the calling thread on one lazily built tokio runtime
 * instead of building a runtime per call. Node cannot run its event loop re-entrantly on a
 * blocked thread, so the faithful analogue is a synchronous bridge to async work:
 * `execute(task, ...args)` hands a named task to a runtime thread (a worker_thread with its own
 * event loop, started on first use) and blocks the caller with `Atomics.wait` until the result
 * is back. `naiveExecute` is what the pattern avoids: a new runtime thread per call.
 *
 * The bridge is one SharedArrayBuffer (the "control block"): a doorbell word the runtime
 * thread sleeps on, and a fixed set of slots, each a small state machine plus a data area:
 *
 *   FREE ─caller CAS→ CLAIMED ─caller writes request→ REQUEST ─runtime CAS→ RUNNING
 *        ←caller reads result, releases── DONE | FAILED ←runtime writes result──┘
 *
 * Requests and results are JSON written straight into the shared data area and parsed out of
 * it — one copy each way, no message passing; numbers and `undefined` skip JSON (a tag and a
 * Float64). transport.bench.js compares this with postMessage + receiveMessageOnPort.
 *
 * Because the control block is plain shared memory, any thread that holds it can call the
 * same runtime: `Runtime.handle` is structured-clonable, `attach(handle)` inside another
 * worker_thread routes that
 * thread's `execute()` to it. That is the plan's "N threads calling one shared runtime":
 * N caller threads, one runtime thread (or a small pool), one queue in shared memory.
 *
 * Tasks are named module exports ({ module: absolute path, name: export }) because a
 * function cannot cross to a thread. Task modules may be TypeScript: the runtime thread
 * loads them through the package's transpile hook (rt-slo-reporter/register-ts), with an
 * on-disk cache of the transpiled code so that only the first thread ever pays for loading
 * the TypeScript compiler (see transpile-cache.js).
 */
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, threadId, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

// ── Layout of the control block (Int32 indices). runtime-thread.js receives these numbers in
// workerData, so this file is the one place the layout is defined.

/** Header words. */
const H = {
  /** Incremented (and notified) by a caller after it posts a request: the runtime sleeps on it. */
  DOORBELL: 0,
  /** Runtime threads that finished booting. */
  READY: 1,
  /** Set to 1 by close(): runtime threads leave their loop. */
  STOP: 2,
  /** Set to 1 when a runtime thread failed to boot or crashed; the message is in the header's text area. */
  DEAD: 3,
  /** Incremented (and notified) whenever a slot is released, for callers waiting for a free slot. */
  SLOT_FREED: 4,
  /** Callers currently waiting for a free slot (so releases notify only when someone waits). */
  SLOT_WAITERS: 5,
  /** Message-port transport: 1 when a reply has been posted on the port. */
  PORT_REPLY: 6,
  /** Length in bytes of the text in the header's text area. */
  TEXT_LENGTH: 7,
} as const;
const HEADER_WORDS = 16;
/** Room for a boot failure or crash message. */
const HEADER_TEXT_BYTES = 2048;
const HEADER_BYTES = HEADER_WORDS * 4 + HEADER_TEXT_BYTES;

/** Words at the start of every slot. */
const S = { STATE: 0, KIND: 1, LENGTH: 2 } as const;
/** 16 bytes: keeps the data area 8-byte aligned for the Float64 fast path. */
const SLOT_HEADER_BYTES = 16;

/** Slot states. */
const FREE = 0;
const CLAIMED = 1;
const REQUEST = 2;
const RUNNING = 3;
const DONE = 4;
const FAILED = 5;

/** How a slot's payload is encoded. */
const KIND_JSON = 0;
const KIND_NUMBER = 1;
const KIND_UNDEFINED = 2;

/** One caller per slot at a time: 32 covers the plan's 16 caller threads twice over. */
const DEFAULT_SLOTS = 32;
/** Room for one request or result; 16 KiB × 32 slots keeps the control block at ~0.5 MB. */
const DEFAULT_SLOT_BYTES = 16 * 1024;
/** Shared memory handed to tasks (counters and the like), in bytes. */
const DEFAULT_SHARED_BYTES = 4096;
/** A runtime thread that has not booted by then is reported instead of waited on forever. */
const DEFAULT_START_TIMEOUT_MS = 30_000;
/** A call with no result by then is reported as a hang (the plan's NO-GO on deadlocks). */
const DEFAULT_CALL_TIMEOUT_MS = 60_000;
/** Blocked callers wake this often to check their deadline (a crash wakes them at once). */
const WAIT_SLICE_MS = 1000;
/**
 * Polls of the slot before the caller sleeps in Atomics.wait. 0 by default: on the 2-core CI
 * machine spinning only steals the core the other side needs (p50 per call: no spin 17.8 µs,
 * caller 1,000 polls 23.7 µs, both sides 1,000 polls 41.7 µs).
 */
const DEFAULT_SPIN = 0;

const RUNTIME_THREAD = path.join(__dirname, 'runtime-thread.js');
/** TypeScript for threads: the package's hook (rt-slo-reporter/register-ts) behind a disk cache. */
const TRANSPILE_CACHE = path.join(__dirname, 'transpile-cache.js');

/**
 * Source for `new Worker(code, { eval: true })` that can require TypeScript modules (through
 * the package's hook, behind the transpile cache) and then requires `module`: how a test
 * starts caller threads that run this runtime's client side.
 */
export function threadBootstrap(module: string): string {
  return `require(${JSON.stringify(TRANSPILE_CACHE)}).installTranspileCache();\nrequire(${JSON.stringify(module)});`;
}

// ── Tasks

/** A task: an export of a module, named so that another thread can load it. */
export interface TaskRef<A extends unknown[] = unknown[], R = unknown> {
  /** Absolute path of the module. */
  readonly module: string;
  /** Name of the export: a function, sync or async. */
  readonly name: string;
  /** Type-only: the task's arguments and result. */
  readonly __signature?: (...args: A) => R;
}

/** A task reference with the types of the export it names. */
export type TaskOf<F> = F extends (...args: infer A) => infer R ? TaskRef<A, Awaited<R>> : never;

/** Every function export of a module type, as task references. */
export type TasksOf<M> = { readonly [K in keyof M as M[K] extends (...args: never[]) => unknown ? K : never]: TaskOf<M[K]> };

/** A reference to one export. */
export function task<A extends unknown[] = unknown[], R = unknown>(module: string, name: string): TaskRef<A, R> {
  if (typeof module !== 'string' || !path.isAbsolute(module)) throw new TypeError(`task(module, name): module must be an absolute path (use require.resolve('./tasks')); received ${JSON.stringify(module)}`);
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`task(module, name): name must be the name of an export; received ${JSON.stringify(name)}`);
  return Object.freeze({ module, name });
}

/**
 * Typed references to every export of a module, created on property access.
 *
 * @example
 * const t = tasksOf<typeof import('./tasks')>(require.resolve('./tasks'));
 * execute(t.add, 1, 2); // number
 */
export function tasksOf<M>(module: string): TasksOf<M> {
  task(module, 'probe'); // validates the path
  const cache = new Map<string, TaskRef>();
  return new Proxy({} as TasksOf<M>, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      let ref = cache.get(name);
      if (!ref) cache.set(name, (ref = task(module, name)));
      return ref;
    },
  });
}

// ── Errors

/** Names of built-in error classes a task error is rebuilt as, so `instanceof` still works. */
const ERROR_CLASSES: Record<string, ErrorConstructor> = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

interface WireError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

/**
 * The error a task threw, rebuilt on the calling thread: same class for built-in errors, same
 * name, message and `code`; the stack is the caller's, followed by the task's own frames.
 */
function rebuildError(w: WireError): Error {
  const Ctor = ERROR_CLASSES[w.name] ?? Error;
  // Built without frames: the caller's frames are captured once, below, and formatted lazily.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const e = new Ctor(w.message);
  Error.stackTraceLimit = limit;
  if (e.name !== w.name) Object.defineProperty(e, 'name', { value: w.name, configurable: true, writable: true, enumerable: false });
  if (w.code !== undefined) (e as NodeJS.ErrnoException).code = w.code;
  if (w.stack) {
    // Formatting a stack is the expensive part of an error (Jest's source-map support made it
    // ~0.5 ms a call), so the caller's frames are captured now and formatted only when read.
    const here: { stack?: string } = {};
    Error.captureStackTrace(here, rebuildError);
    const remote = w.stack;
    let text: string | undefined;
    Object.defineProperty(e, 'stack', {
      configurable: true,
      enumerable: false,
      get() {
        if (text === undefined) {
          const frames = (s: string | undefined): string => (s ?? '').split('\n').filter((l) => l.trimStart().startsWith('at ')).join('\n');
          text = `${String(e.name)}: ${e.message}\n${frames(here.stack)}\n    --- thrown in the runtime thread ---\n${frames(remote)}`;
        }
        return text;
      },
      set(v: string) {
        text = v;
      },
    });
  }
  return e;
}

// ── The runtime

export interface RuntimeOptions {
  /** Runtime threads (a small pool). Default 1: the plan's single global runtime. */
  threads?: number;
  /** Concurrent callers the queue holds. Default 32. */
  slots?: number;
  /** Bytes per request or result. Default 16 KiB. */
  slotBytes?: number;
  /** Shared memory for tasks (`sharedMemory()`), in bytes. Default 4 KiB. */
  sharedBytes?: number;
  /**
   * How the owner thread talks to the runtime: `'shared-buffer'` (default: JSON written into
   * shared memory) or `'message-port'` (postMessage + receiveMessageOnPort after Atomics.wait;
   * owner thread only, one runtime thread). Both exist so the difference can be measured.
   */
  transport?: 'shared-buffer' | 'message-port';
  /** Polls of its slot a caller makes before sleeping in Atomics.wait (default 0). */
  spin?: number;
  /** Polls of the doorbell a runtime thread makes before sleeping (default 0). */
  runtimeSpin?: number;
  /** Milliseconds a call may take before it is reported as a hang (default 60 s). */
  callTimeoutMs?: number;
  /** Milliseconds the runtime threads may take to boot (default 30 s). */
  startTimeoutMs?: number;
}

/** Everything another thread needs to call this runtime. Structured-clonable (workerData, postMessage). */
export interface RuntimeHandle {
  readonly kind: 'rt-global-runtime';
  readonly control: SharedArrayBuffer;
  readonly shared: SharedArrayBuffer;
  /** Slots any caller may claim. */
  readonly slots: number;
  readonly slotBytes: number;
  /** Runtime threads; each also owns one private slot after the common ones (internal requests). */
  readonly threads: number;
}

/** Memory of the runtime itself, as its threads see it. */
export interface RuntimeMemory {
  /** V8 heap committed by the runtime threads' isolates (total_heap_size, summed). */
  heapCommitted: number;
  /** Of which in use (used_heap_size, summed). */
  heapUsed: number;
  /** Memory held outside the heap by those isolates (external_memory, summed). */
  external: number;
  /** The control block and the tasks' shared memory. */
  sharedBuffers: number;
  /**
   * What the SLO counts: heap in use + external + shared buffers — the same "held" figure as
   * rt-slo-reporter's memory matchers (heapUsed + external). Committed heap is V8's reserve,
   * and grows when a GC is forced (the gc() function lives in a context of its own).
   */
  total: number;
  threads: number;
}

function positiveInt(v: unknown, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || (v as number) <= 0) throw new TypeError(`Runtime option ${name} must be a positive integer; received ${JSON.stringify(v)}`);
  return v as number;
}

/** Internal requests served by the runtime thread itself. */
const INTERNAL = 'rt:internal';

/** A caller's connection to a runtime: the shared-memory protocol. The owner also holds the threads. */
class Connection {
  readonly ctrl: Int32Array;
  readonly f64: Float64Array;
  readonly buf: Buffer;
  readonly slots: number;
  readonly slotBytes: number;
  readonly slotStride: number;
  /** Slot this thread used last: tried first, so one thread keeps one warm cache line. */
  private hint: number;

  constructor(readonly handle: RuntimeHandle, private readonly spin: number, private readonly callTimeoutMs: number) {
    this.ctrl = new Int32Array(handle.control);
    this.f64 = new Float64Array(handle.control);
    this.buf = Buffer.from(handle.control);
    this.slots = handle.slots;
    this.slotBytes = handle.slotBytes;
    this.slotStride = SLOT_HEADER_BYTES + handle.slotBytes;
    this.hint = threadId % this.slots;
  }

  private word(slot: number, field: number): number {
    return (HEADER_BYTES + slot * this.slotStride) / 4 + field;
  }

  private dataOffset(slot: number): number {
    return HEADER_BYTES + slot * this.slotStride + SLOT_HEADER_BYTES;
  }

  /** Claims a free slot (or the given private one), waiting for one when all are in use. */
  private claim(only?: number): number {
    const { ctrl } = this;
    for (;;) {
      const freed = Atomics.load(ctrl, H.SLOT_FREED);
      if (only !== undefined) {
        if (Atomics.compareExchange(ctrl, this.word(only, S.STATE), FREE, CLAIMED) === FREE) return only;
      } else {
        for (let k = 0; k < this.slots; k++) {
          const i = (this.hint + k) % this.slots;
          if (Atomics.compareExchange(ctrl, this.word(i, S.STATE), FREE, CLAIMED) === FREE) {
            this.hint = i;
            return i;
          }
        }
      }
      this.checkAlive();
      Atomics.add(ctrl, H.SLOT_WAITERS, 1);
      Atomics.wait(ctrl, H.SLOT_FREED, freed, WAIT_SLICE_MS);
      Atomics.sub(ctrl, H.SLOT_WAITERS, 1);
    }
  }

  private release(slot: number): void {
    const { ctrl } = this;
    Atomics.store(ctrl, this.word(slot, S.STATE), FREE);
    if (Atomics.load(ctrl, H.SLOT_WAITERS) > 0) {
      Atomics.add(ctrl, H.SLOT_FREED, 1);
      Atomics.notify(ctrl, H.SLOT_FREED);
    }
  }

  checkAlive(): void {
    if (Atomics.load(this.ctrl, H.DEAD) !== 0) throw new Error(`global runtime: the runtime thread is dead: ${this.text()}`);
    if (Atomics.load(this.ctrl, H.STOP) !== 0) throw new Error('global runtime: the runtime was closed');
  }

  text(): string {
    return this.buf.toString('utf8', HEADER_WORDS * 4, HEADER_WORDS * 4 + Atomics.load(this.ctrl, H.TEXT_LENGTH));
  }

  /** Rings the doorbell: every sleeping runtime thread wakes (see runtime-thread.js on why all). */
  ring(): void {
    Atomics.add(this.ctrl, H.DOORBELL, 1);
    Atomics.notify(this.ctrl, H.DOORBELL);
  }

  /** One call: claim a slot, write the request, ring, sleep until the result, release. */
  call(module: string, name: string, args: unknown[], privateSlotOf?: number): unknown {
    const { ctrl } = this;
    this.checkAlive();
    const slot = this.claim(privateSlotOf === undefined ? undefined : this.slots + privateSlotOf);
    const state = this.word(slot, S.STATE);
    try {
      const request = JSON.stringify([module, name, args]);
      const at = this.dataOffset(slot);
      const written = this.buf.write(request, at, this.slotBytes, 'utf8');
      if (written === this.slotBytes && Buffer.byteLength(request) > this.slotBytes) {
        throw new RangeError(`global runtime: the request to ${name} is ${Buffer.byteLength(request)} bytes, more than a slot holds (${this.slotBytes}; option slotBytes)`);
      }
      Atomics.store(ctrl, this.word(slot, S.LENGTH), written);
      Atomics.store(ctrl, state, REQUEST);
      this.ring();
      let s = Atomics.load(ctrl, state);
      for (let i = 0; i < this.spin && (s === REQUEST || s === RUNNING); i++) s = Atomics.load(ctrl, state);
      const deadline = performance.now() + this.callTimeoutMs;
      while (s === REQUEST || s === RUNNING) {
        const woke = Atomics.wait(ctrl, state, s, WAIT_SLICE_MS);
        s = Atomics.load(ctrl, state);
        if (s === DONE || s === FAILED) break;
        // A crashing runtime thread wakes every waiter; a hung one is found by the deadline.
        if (Atomics.load(ctrl, H.DEAD) !== 0) throw new Error(`global runtime: the runtime thread died while running ${name}: ${this.text()}`);
        if (woke === 'timed-out' && performance.now() > deadline) throw new Error(`global runtime: no result from ${name} after ${this.callTimeoutMs} ms (hung task or deadlock; option callTimeoutMs)`);
      }
      const value = this.readPayload(slot);
      if (s === FAILED) throw rebuildError(value as WireError);
      return value;
    } finally {
      this.release(slot);
    }
  }

  private readPayload(slot: number): unknown {
    const kind = Atomics.load(this.ctrl, this.word(slot, S.KIND));
    if (kind === KIND_UNDEFINED) return undefined;
    if (kind === KIND_NUMBER) return this.f64[this.dataOffset(slot) / 8];
    const at = this.dataOffset(slot);
    return JSON.parse(this.buf.toString('utf8', at, at + Atomics.load(this.ctrl, this.word(slot, S.LENGTH))));
  }
}

function createHandle(slots: number, slotBytes: number, sharedBytes: number, threads: number): RuntimeHandle {
  const stride = SLOT_HEADER_BYTES + Math.ceil(slotBytes / 8) * 8;
  return {
    kind: 'rt-global-runtime',
    control: new SharedArrayBuffer(HEADER_BYTES + (slots + threads) * stride),
    shared: new SharedArrayBuffer(sharedBytes),
    slots,
    slotBytes: stride - SLOT_HEADER_BYTES,
    threads,
  };
}

/** Numbers runtime-thread.js needs to speak the protocol. */
function layout() {
  return { H, HEADER_WORDS, HEADER_BYTES, S, SLOT_HEADER_BYTES, FREE, CLAIMED, REQUEST, RUNNING, DONE, FAILED, KIND_JSON, KIND_NUMBER, KIND_UNDEFINED, INTERNAL };
}
export type Layout = ReturnType<typeof layout>;

/**
 * A runtime: its threads (when this thread owns it) and the connection to them. Starting it
 * blocks until every runtime thread has booted.
 */
export class Runtime {
  /** Milliseconds from spawning the threads to all of them ready (the lazy-init cost). */
  readonly startMs: number;
  readonly handle: RuntimeHandle;
  private readonly conn: Connection;
  private readonly workers: Worker[] = [];
  private readonly port?: MessagePort;
  private closed = false;

  constructor(options: RuntimeOptions = {}, attachTo?: RuntimeHandle) {
    const t0 = performance.now();
    const spin = options.spin ?? DEFAULT_SPIN;
    const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    if (attachTo) {
      if (attachTo.kind !== 'rt-global-runtime') throw new TypeError(`attach(handle): handle must come from Runtime.handle; received ${JSON.stringify(attachTo)}`);
      this.handle = attachTo;
      this.conn = new Connection(attachTo, spin, callTimeoutMs);
      this.startMs = 0;
      return;
    }
    const threads = positiveInt(options.threads, 'threads', 1);
    const transport = options.transport ?? 'shared-buffer';
    if (transport !== 'shared-buffer' && transport !== 'message-port') throw new TypeError(`Runtime option transport must be 'shared-buffer' or 'message-port'; received ${JSON.stringify(transport)}`);
    if (transport === 'message-port' && threads !== 1) throw new TypeError('Runtime option transport: message-port works with one runtime thread (threads: 1)');
    this.handle = createHandle(positiveInt(options.slots, 'slots', DEFAULT_SLOTS), positiveInt(options.slotBytes, 'slotBytes', DEFAULT_SLOT_BYTES), options.sharedBytes ?? DEFAULT_SHARED_BYTES, threads);
    this.conn = new Connection(this.handle, spin, callTimeoutMs);
    let replyPort: MessagePort | undefined;
    if (transport === 'message-port') {
      const channel = new MessageChannel();
      this.port = channel.port1;
      this.port.unref();
      replyPort = channel.port2;
    }
    for (let i = 0; i < threads; i++) {
      const data = { kind: 'rt-runtime-thread', index: i, spin: options.runtimeSpin ?? DEFAULT_SPIN, handle: this.handle, layout: layout(), port: i === 0 ? replyPort : undefined };
      const w = new Worker(RUNTIME_THREAD, { workerData: data, transferList: i === 0 && replyPort ? [replyPort] : [] });
      w.unref();
      // A crash is already reported through the DEAD flag; this keeps it from becoming an unhandled 'error'.
      w.on('error', () => undefined);
      this.workers.push(w);
    }
    this.waitReady(threads, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    this.startMs = performance.now() - t0;
  }

  private waitReady(threads: number, timeoutMs: number): void {
    const { ctrl } = this.conn;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const ready = Atomics.load(ctrl, H.READY);
      if (ready >= threads) return;
      if (Atomics.load(ctrl, H.DEAD) !== 0) {
        this.close();
        throw new Error(`global runtime: a runtime thread failed to start: ${this.conn.text()}`);
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        this.close();
        throw new Error(`global runtime: the runtime threads did not start within ${timeoutMs} ms`);
      }
      Atomics.wait(ctrl, H.READY, ready, Math.min(left, WAIT_SLICE_MS));
    }
  }

  /** Runs a task on this runtime and blocks until its result (or error) is back. */
  execute<A extends unknown[], R>(t: TaskRef<A, R>, ...args: A): R {
    if (this.port) return this.callOverPort(t.module, t.name, args) as R;
    return this.conn.call(t.module, t.name, args) as R;
  }

  /** The message-port transport: postMessage, ring, Atomics.wait, receiveMessageOnPort. */
  private callOverPort(module: string, name: string, args: unknown[]): unknown {
    const { ctrl } = this.conn;
    this.conn.checkAlive();
    Atomics.store(ctrl, H.PORT_REPLY, 0);
    this.port!.postMessage([module, name, args]);
    this.conn.ring();
    while (Atomics.load(ctrl, H.PORT_REPLY) === 0) {
      if (Atomics.wait(ctrl, H.PORT_REPLY, 0, WAIT_SLICE_MS) === 'timed-out') this.conn.checkAlive();
    }
    const reply = receiveMessageOnPort(this.port!)?.message as { ok: boolean; value: unknown } | undefined;
    if (!reply) throw new Error('global runtime: the reply flag was set but no message arrived on the port');
    if (!reply.ok) throw rebuildError(reply.value as WireError);
    return reply.value;
  }

  /**
   * Memory the runtime threads themselves hold, asked of each thread's isolate. With `gc`, each
   * thread runs a full garbage collection first: what is retained, not what awaits collection.
   */
  memory({ gc = false }: { gc?: boolean } = {}): RuntimeMemory {
    const { threads } = this.handle;
    let heapCommitted = 0;
    let heapUsed = 0;
    let external = 0;
    // Through each thread's private slot: a common slot lands on whichever pool thread wakes first.
    for (let i = 0; i < threads; i++) {
      const m = this.conn.call(INTERNAL, 'memory', [gc], i) as { heapCommitted: number; heapUsed: number; external: number };
      heapCommitted += m.heapCommitted;
      heapUsed += m.heapUsed;
      external += m.external;
    }
    const sharedBuffers = this.handle.control.byteLength + this.handle.shared.byteLength;
    return { heapCommitted, heapUsed, external, sharedBuffers, total: heapUsed + external + sharedBuffers, threads };
  }

  /** Stops the runtime threads (owner) or detaches (attached threads). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.workers.length === 0) return;
    Atomics.store(this.conn.ctrl, H.STOP, 1);
    this.conn.ring();
    for (const w of this.workers) void w.terminate().catch(() => undefined);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The runtime threads' ids (empty for an attached runtime). */
  get threadIds(): number[] {
    return this.workers.map((w) => w.threadId);
  }
}

// ── The global runtime: lazily started, cached, shared

let globalRuntime: Runtime | undefined;
let globalOptions: RuntimeOptions = {};
const stats = { initializations: 0, lastInitMs: 0, accesses: 0 };

function inRuntimeThread(): boolean {
  return (workerData as { kind?: string } | null)?.kind === 'rt-runtime-thread';
}

/**
 * The global runtime, started on first access (lazy initialisation) and cached afterwards.
 * Inside a thread that called `attach(handle)`, the shared runtime it attached to.
 */
export function getRuntime(): Runtime {
  stats.accesses++;
  if (globalRuntime && !globalRuntime.isClosed) return globalRuntime;
  if (inRuntimeThread()) throw new Error('global runtime: execute() called from inside a runtime thread would wait on itself forever (deadlock); call the task directly');
  globalRuntime = new Runtime(globalOptions);
  stats.initializations++;
  stats.lastInitMs = globalRuntime.startMs;
  return globalRuntime;
}

/** Runs an async (or sync) task on the global runtime and blocks until its result is back. */
export function execute<A extends unknown[], R>(t: TaskRef<A, R>, ...args: A): R {
  return getRuntime().execute(t, ...args);
}

/** What the pattern avoids: a new runtime thread for every call, torn down afterwards. */
export function naiveExecute<A extends unknown[], R>(t: TaskRef<A, R>, ...args: A): R {
  const rt = new Runtime({ slots: 1, slotBytes: DEFAULT_SLOT_BYTES, sharedBytes: 8 });
  try {
    return rt.execute(t, ...args);
  } finally {
    rt.close();
  }
}

/** Options for the global runtime's next lazy start (threads, transport, …). */
export function configureRuntime(options: RuntimeOptions): void {
  if (globalRuntime && !globalRuntime.isClosed) throw new Error('configureRuntime(): the global runtime is already running; call shutdown() first');
  globalOptions = { ...options };
}

/** Closes the global runtime (or detaches); the next access starts (or needs) a new one. */
export function shutdown(): void {
  globalRuntime?.close();
  globalRuntime = undefined;
}

/** Routes this thread's `execute()` to a runtime another thread started (`getRuntime().handle`). */
export function attach(handle: RuntimeHandle, options: Pick<RuntimeOptions, 'spin' | 'callTimeoutMs'> = {}): Runtime {
  if (globalRuntime && !globalRuntime.isClosed && globalRuntime.handle.control === handle.control) return globalRuntime;
  globalRuntime?.close();
  globalRuntime = new Runtime(options, handle);
  return globalRuntime;
}

/** Lazy-init bookkeeping: how often the global runtime was started, the last start's cost, accesses. */
export function runtimeStats(): { initializations: number; lastInitMs: number; accesses: number; running: boolean } {
  return { ...stats, running: !!globalRuntime && !globalRuntime.isClosed };
}

/**
 * Shared memory for tasks: in the runtime thread, the memory of the runtime running the task;
 * elsewhere, the global (or attached) runtime's. The plan's shared counter lives here.
 */
export function sharedMemory(): SharedArrayBuffer {
  if (inRuntimeThread()) return (workerData as { handle: RuntimeHandle }).handle.shared;
  return getRuntime().handle.shared;
}
