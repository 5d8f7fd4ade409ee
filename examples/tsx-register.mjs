// jest-light-runner runs no Jest transform, and on Node 20 neither NODE_OPTIONS=--import=tsx nor
// `tsx/esm` registers tsx inside its worker threads: registered from a setup file, tsx loads the
// example's .ts files in whichever thread runs them (docs/fidelity.md).
import { register as registerEsm } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';

registerEsm();
registerCjs();
