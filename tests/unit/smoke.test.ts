function busyWait(us: number) { const end = performance.now() + us / 1000; while (performance.now() < end); }
test('noop under 1us', async () => { await expect(() => 42).toRunUnder('1us'); });
test('200us fails 50us', async () => { await expect(expect(() => busyWait(200)).toRunUnder('50us')).rejects.toThrow(); });
test('200us passes 1ms', async () => { await expect(() => busyWait(200)).toRunUnder('1ms'); });
test('async', async () => { await expect(async () => 42).toRunUnder('10us'); });
test('msg', async () => { try { await expect(() => busyWait(200)).toRunUnder('50us'); } catch (e) { console.log((e as Error).message); } });
