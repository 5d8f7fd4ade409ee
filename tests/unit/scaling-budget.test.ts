/**
 * runScaling's maxTimeMs: counted from the first sampled round (the check after warm-up is not
 * sampling), minRounds included, so a budget shorter than minRounds stops the run on 'time'.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { runScaling, type LevelRunner } from '../../src/threads/scaling';

/** A runner whose windows last `windowMs` of real time and whose first verify (after warm-up) takes `verifyMs`. */
function runner(verifyMs: number): LevelRunner & { windows: number; verified: number } {
  return {
    windows: 0,
    verified: 0,
    async window(level: number, windowMs: number) {
      this.windows++;
      await sleep(windowMs);
      return { calls: 1000 * level, seconds: windowMs / 1e3, samples: [[100]] };
    },
    async verify() {
      if (this.verified++ === 0) await sleep(verifyMs);
      return { checked: true, ok: true };
    },
  };
}

describe('runScaling time budget', () => {
  it('does not count the check after warm-up against maxTime', async () => {
    const r = runner(300);
    const run = await runScaling(r, [1, 2], { windowMs: 10, minRounds: 2, maxTimeMs: 200, decided: () => false, verifyAfterWarmup: true });
    expect(run.stoppedBy).toBe('time');
    // ~20 ms a round: several rounds fit in 200 ms once sampling starts, after the 300 ms check.
    // (Counted from before the check, the budget was gone before the first round: minRounds only.)
    expect(run.rounds).toBeGreaterThanOrEqual(4);
    // Sampling wall time: the budget and at most a round or so over it, without the check.
    expect(run.wallMs).toBeGreaterThanOrEqual(200);
    expect(run.wallMs).toBeLessThan(300);
  });

  it('includes minRounds: a budget shorter than minRounds ends the run on time, undecided', async () => {
    const r = runner(0);
    let asked = 0;
    const run = await runScaling(r, [1, 2], { windowMs: 20, minRounds: 50, maxTimeMs: 100, decided: () => ++asked > 0, verifyAfterWarmup: false });
    expect(run.stoppedBy).toBe('time');
    expect(run.rounds).toBeLessThan(50);
    expect(asked).toBe(0);
  });

  it('asks for a decision only once minRounds are in', async () => {
    const r = runner(0);
    const seen: number[] = [];
    const run = await runScaling(r, [1, 2], { windowMs: 5, minRounds: 3, maxTimeMs: 10_000, decided: (_d, rounds) => (seen.push(rounds), true), verifyAfterWarmup: false });
    expect(run.stoppedBy).toBe('decided');
    expect(run.rounds).toBe(3);
    expect(seen).toEqual([3]);
  });
});
