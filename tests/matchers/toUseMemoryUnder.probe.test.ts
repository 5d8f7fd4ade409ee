/**
 * toUseMemoryUnder with a probe: memory this isolate cannot see, read by the user's function.
 * Truth fixtures: the probe reads a number we control, so the true value is known exactly.
 */
const MB = 1e6;

/** A pretend runtime: starting it holds `size` bytes "elsewhere"; the probe reads that. */
function fakeRuntime(size: number) {
  let held = 0;
  return {
    start: () => {
      held = size;
    },
    probe: () => held,
  };
}

describe('.toUseMemoryUnder with probe', () => {
  test('passes when what the probe reads after the runs stays under the limit', async () => {
    const rt = fakeRuntime(7.5 * MB);
    await expect(rt.start).toUseMemoryUnder('10MB', { probe: rt.probe });
  });

  test('fails when the probe reads more than the limit (20 MB held against 10MB)', async () => {
    const rt = fakeRuntime(20 * MB);
    await expect(expect(rt.start).toUseMemoryUnder('10MB', { probe: rt.probe })).rejects.toThrow(/FAIL/);
  });

  test('WARN between the limit and noGo: the test passes', async () => {
    const rt = fakeRuntime(20 * MB);
    await expect(rt.start).toUseMemoryUnder('10MB', { probe: rt.probe, noGo: '50MB' });
  });

  test('growth per run is taken out, as without a probe: 1 MB kept per run reads as 1 MB', async () => {
    let held = 0;
    const keep = () => {
      held += MB;
    };
    await expect(keep).toUseMemoryUnder('1.5MB', { probe: () => held });
    await expect(expect(keep).toUseMemoryUnder('0.5MB', { probe: () => held })).rejects.toThrow(/FAIL/);
  });

  test('an async probe is awaited', async () => {
    const rt = fakeRuntime(2 * MB);
    await expect(rt.start).toUseMemoryUnder('10MB', { probe: async () => rt.probe() });
  });

  test('the message says the probe was read', async () => {
    const rt = fakeRuntime(20 * MB);
    const e = await expect(rt.start).toUseMemoryUnder('10MB', { probe: rt.probe }).catch((x: Error) => x);
    expect(String((e as Error).message)).toContain("the probe's reading");
  });

  describe('bad arguments', () => {
    test('a probe that is not a function', async () => {
      await expect(expect(() => 1).toUseMemoryUnder('10MB', { probe: 5 as never })).rejects.toThrow(/option probe must be a function/);
    });
    test('a probe returning something other than bytes', async () => {
      await expect(expect(() => 1).toUseMemoryUnder('10MB', { probe: () => NaN })).rejects.toThrow(/probe must return a finite number of bytes/);
    });
    test("a probe with measure: 'peak'", async () => {
      await expect(expect(() => 1).toUseMemoryUnder('10MB', { probe: () => 0, measure: 'peak' })).rejects.toThrow(/cannot observe a peak/);
    });
  });
});
