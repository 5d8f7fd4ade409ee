// The default Jest environment, as a user gets it: testEnvironment node, the default transform.
// bench/fidelity.mjs runs this project through the real Jest CLI (paths (a) and (b)).
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/tests/*.test.js'],
  testTimeout: 300_000,
};
