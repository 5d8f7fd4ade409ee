import os from 'node:os';
import type { Fingerprint } from './types';

/** The machine a measurement ran on. Load average is read fresh; the rest is fixed per process. */
export function fingerprint(): Fingerprint {
  const cpus = os.cpus();
  const load = os.loadavg();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    availableParallelism: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    totalMemory: os.totalmem(),
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    loadavg: [round2(load[0]), round2(load[1]), round2(load[2])],
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
