// The same test file under jest-light-runner: bare Node, no VM sandbox (path (c)).
module.exports = { ...require('./jest.config.js'), runner: 'jest-light-runner' };
