// Shared jest settings: @swc/jest transpiles TypeScript (with Nest's decorator
// metadata) without type-checking, which `npm run typecheck` does once for all.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const swcrc = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  setupFiles: [join(__dirname, 'jest.setup.js')],
};
