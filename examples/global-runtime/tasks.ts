/**
 * The plan's benchmark tasks, as named exports the runtime thread loads (see runtime.ts).
 * Each mirrors one `execute(async { … })` body of the plan's Rust suite.
 */
import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { execute, sharedMemory, task } from './runtime';

const simpleReturnRef = task<[], number>(__filename, 'simpleReturn');

/** Node's timers have 1 ms granularity: setTimeout(fn, 0.1) waits ≥ 1 ms. */
const TIMER_GRANULARITY_US = 1000;

/**
 * An async wait of at least `us` microseconds, as fine-grained as Node allows: whole
 * milliseconds with setTimeout, the rest by hopping through the event loop with setImmediate
 * (each hop is one real turn of the loop — timers, I/O poll, check — about 1–3 µs when idle).
 * Sub-millisecond waits therefore keep the runtime thread's loop spinning, as a timer wheel
 * with 1 ms ticks (tokio's) cannot do them at all.
 */
export function sleep(us: number): Promise<void> {
  const end = performance.now() + us / 1000;
  return new Promise<void>((resolve) => {
    const hop = (): void => {
      const left = (end - performance.now()) * 1000;
      if (left <= 0) resolve();
      else if (left >= TIMER_GRANULARITY_US) setTimeout(hop, Math.floor(left / TIMER_GRANULARITY_US));
      else setImmediate(hop);
    };
    hop();
  });
}

/** One turn of the event loop: the smallest real async wait Node offers. */
function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

// 1 · Baseline overhead

/** `execute(async { 42 })` */
export async function simpleReturn(): Promise<number> {
  return 42;
}

/** `execute(async { x + y })` */
export async function withComputation(x: number, y: number): Promise<number> {
  return x + y;
}

/**
 * `execute(async { sleep(1µs).await; 42 })`. Node has no 1 µs timer; the smallest real wait is
 * one setImmediate turn of the runtime thread's event loop, which already lasts longer than 1 µs.
 */
export async function withMicroSleep(): Promise<number> {
  await nextTurn();
  return 42;
}

// 2 · Concurrent execution

/** `execute(async { counter.fetch_add(1) })` on the runtime's shared memory; returns the new value. */
export async function increment(cell = 0): Promise<number> {
  return Atomics.add(new Int32Array(sharedMemory()), cell, 1) + 1;
}

// 4 · Realistic workloads

/** Template generate: read a template (100 µs), render it (50 µs). */
export async function fileIoSimulation(): Promise<number> {
  await sleep(100);
  await sleep(50);
  return 42;
}

/** Marketplace search: an HTTP request (1 ms), JSON parsing (10 µs). */
export async function networkIoSimulation(): Promise<number> {
  await sleep(1000);
  await sleep(10);
  return 42;
}

/** Iterations of the CPU-bound simulation, as the plan's graph traversal. */
export const CPU_ITERATIONS = 1000;

/** RDF graph processing: a 1,000-iteration loop whose result is returned (so it cannot be elided). */
export async function cpuBoundSimulation(iterations = CPU_ITERATIONS): Promise<number> {
  let acc = 0;
  for (let i = 0; i < iterations; i++) acc = (acc + ((i * 2654435761) >>> 0)) % 1_000_000_007;
  return acc;
}

// 5 · Memory pressure

/** The plan's 1 MB: `vec![0u8; 1MB]` is 1 MiB. */
export const ONE_MB = 1024 * 1024;

/** `execute(async { let v = vec![0u8; 1MB]; v.len() })`: allocate, touch, drop; return the length. */
export async function largeAllocation(bytes = ONE_MB): Promise<number> {
  const v = new Uint8Array(bytes);
  v[bytes - 1] = 1; // written, so the allocation is real
  return v.length;
}

// 7 · Error handling

/** `execute(async { Ok(42) })` */
export async function successPath(): Promise<number> {
  return 42;
}

/** `execute(async { Err("error") })`: in JavaScript an error path throws. */
export async function errorPath(): Promise<number> {
  throw new Error('error');
}

// For the runtime's own tests

/** A synchronous task: answered inline, without a microtask. */
export function syncAdd(x: number, y: number): number {
  return x + y;
}

/** Returns what it was given (JSON round trip). */
export async function echo<T>(value: T): Promise<T> {
  return value;
}

/** Throws a built-in error class with a code, to check both reach the caller. */
export async function throwRange(message: string): Promise<never> {
  const e = new RangeError(message) as RangeError & { code: string };
  e.code = 'E_TASK_RANGE';
  throw e;
}

/** Throws an error whose class is the task's own. */
export async function throwCustom(): Promise<never> {
  class ValidationError extends Error {
    override name = 'ValidationError';
  }
  throw new ValidationError('bad input');
}

/** Waits `ms` on a real timer, then returns the runtime thread's view of "now" order. */
export async function delayed(ms: number, value: number): Promise<number> {
  await new Promise((r) => setTimeout(r, ms));
  return value;
}

/** Returns nothing: the caller gets undefined, not null. */
export async function nothing(): Promise<void> {}

/** Numbers JSON cannot carry, returned as results (which skip JSON). */
export function numberResult(which: 'nan' | '-0' | 'inf'): number {
  return which === 'nan' ? Number.NaN : which === '-0' ? -0 : Infinity;
}

/** A result JSON cannot carry. */
export async function bigintResult(): Promise<bigint> {
  return 1n;
}

/** Returns a string of `n` characters (slot capacity checks). */
export async function bigString(n: number): Promise<string> {
  return 'x'.repeat(n);
}

/** The id of the thread running the task: one runtime thread for execute(), a new one per naive call. */
export function whoAmI(): number {
  return threadId;
}

/** Calls execute() from inside the runtime thread: must be refused, never hang. */
export async function nested(): Promise<number> {
  return execute(simpleReturnRef);
}

/** Throws from a timer callback, outside any task's promise: the runtime thread dies. */
export async function crash(): Promise<number> {
  setTimeout(() => {
    throw new Error('boom from a timer');
  }, 1);
  return new Promise<number>(() => undefined);
}
