// Runs every workspace project's tests in one jest process (one summary for CI).
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const projects = ['libs', 'services']
  .filter((dir) => existsSync(join(__dirname, dir)))
  .flatMap((dir) => readdirSync(join(__dirname, dir)).map((name) => join(__dirname, dir, name, 'jest.config.js')))
  // The platform's end-to-end tests: every service as a child process.
  .concat(join(__dirname, 'e2e', 'jest.config.js'))
  .filter(existsSync);

// testTimeout is global in a multi-project run, so it is set here, not per project.
module.exports = { projects, testTimeout: 60_000 };
