/**
 * toRunUnder under Jest's fake timers. Fake timers freeze performance.now(), Date.now() and
 * process.hrtime inside the test, and (by default) replace setTimeout, setImmediate,
 * process.nextTick and queueMicrotask: an engine reading the faked clock measures 0, and one
 * yielding through a faked timer hangs. The matcher must do neither.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance as perfHooks } from 'node:perf_hooks';
import { RECORD_FILE_PREFIX, RUN_DIR_ENV } from '../../src/constants';
import type { SloRecord } from '../../src/types';

/** The real clock, captured at module load, before any test fakes timers. */
const clock = perfHooks.now.bind(perfHooks);

function busyWait(us: number): void {
  const end = clock() + us / 1000;
  while (clock() < end);
}

const busy200 = (): void => busyWait(200);

/** A hang must fail fast rather than wait for the 60 s suite timeout. */
const HANG_TIMEOUT_MS = 20_000;

/** Real epoch ms of this run; a record stamped by a faked Date (now: 0) would be near 0. */
const REAL_EPOCH_FLOOR = Date.now() - 60_000;

let runDir: string;
const savedRunDir = process.env[RUN_DIR_ENV];
beforeEach(() => {
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-fake-timers-'));
  process.env[RUN_DIR_ENV] = runDir;
});
afterEach(() => {
  jest.useRealTimers();
  if (savedRunDir === undefined) delete process.env[RUN_DIR_ENV];
  else process.env[RUN_DIR_ENV] = savedRunDir;
  fs.rmSync(runDir, { recursive: true, force: true });
});

function records(): SloRecord[] {
  return fs
    .readdirSync(runDir)
    .filter((f) => f.startsWith(RECORD_FILE_PREFIX))
    .flatMap((f) => fs.readFileSync(path.join(runDir, f), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as SloRecord);
}

/** The two verdicts of the core truth fixture, and what the records say. */
async function expectCorrectVerdicts(): Promise<void> {
  await expect(busy200).toRunUnder('1ms');
  await expect(expect(busy200).toRunUnder('50us')).rejects.toThrow('Expected p50 to be under 50µs');
  await expect(() => 42).toRunUnder('1us');
  await expect(async () => 42).toRunUnder('20us');
  const [pass, fail, noop, asyncNoop] = records();
  expect([pass.verdict, fail.verdict, noop.verdict, asyncNoop.verdict]).toEqual(['PASS', 'FAIL', 'PASS', 'PASS']);
  // ~200µs measured, not 0: the engine's clock kept running.
  for (const r of [pass, fail]) {
    expect(r.estimate).toBeGreaterThanOrEqual(200_000);
    expect(r.estimate).toBeLessThan(1_000_000);
    expect(r.summary?.min).toBeGreaterThanOrEqual(200_000);
  }
  for (const r of records()) {
    expect((r.details as { wallMs: number }).wallMs).toBeGreaterThan(0);
    expect(r.startedAt).toBeGreaterThan(REAL_EPOCH_FLOOR);
    expect(r.endedAt).toBeGreaterThanOrEqual(r.startedAt);
  }
}

describe('modern fake timers (default toFake)', () => {
  test(
    'the test clock is frozen, the matcher still measures ~200µs and decides',
    async () => {
      jest.useFakeTimers();
      const frozen = performance.now();
      busyWait(2000);
      expect(performance.now()).toBe(frozen); // the fixture is meaningful: the global clock is faked
      await expectCorrectVerdicts();
    },
    HANG_TIMEOUT_MS,
  );

  test(
    'with Date faked to 0, records still carry real timestamps',
    async () => {
      jest.useFakeTimers({ now: 0 });
      expect(Date.now()).toBe(0);
      await expect(busy200).toRunUnder('1ms');
      expect(records()[0].startedAt).toBeGreaterThan(REAL_EPOCH_FLOOR);
    },
    HANG_TIMEOUT_MS,
  );
});

describe('modern fake timers faking everything (doNotFake: [])', () => {
  test(
    'nextTick, queueMicrotask, setImmediate faked: no hang, correct verdicts',
    async () => {
      jest.useFakeTimers({ doNotFake: [] });
      let ticked = false;
      process.nextTick(() => {
        ticked = true;
      });
      await Promise.resolve();
      expect(ticked).toBe(false); // nextTick really is faked
      await expectCorrectVerdicts();
    },
    HANG_TIMEOUT_MS,
  );
});

describe('legacy fake timers', () => {
  test(
    'legacyFakeTimers: no hang, correct verdicts',
    async () => {
      jest.useFakeTimers({ legacyFakeTimers: true });
      let fired = false;
      setTimeout(() => {
        fired = true;
      }, 0);
      busyWait(1000);
      expect(fired).toBe(false); // setTimeout is faked
      await expectCorrectVerdicts();
    },
    HANG_TIMEOUT_MS,
  );
});
