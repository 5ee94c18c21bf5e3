module.exports = {
  ...require('../../jest.preset'),
  displayName: 'event-store',
  rootDir: __dirname,
  testTimeout: 60_000,
};
