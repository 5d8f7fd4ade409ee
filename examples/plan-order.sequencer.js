// Runs the example's files in the plan's order: the runtime's own tests first (a wrong runtime
// is not worth measuring), then BENCHMARK 1 to 7. Unknown files go last, by name.
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');

const ORDER = ['runtime', 'execute_baseline', 'execute_concurrent', 'naive_vs_global', 'realistic_workloads', 'memory_pressure', 'startup_time', 'error_handling'];

class PlanOrderSequencer extends Sequencer {
  sort(tests) {
    const rank = (t) => {
      const i = ORDER.indexOf(path.basename(t.path).replace(/\.test\.ts$/, ''));
      return i === -1 ? ORDER.length : i;
    };
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
}

module.exports = PlanOrderSequencer;
