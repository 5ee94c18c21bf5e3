module.exports = {
  ...require('../../jest.preset'),
  displayName: 'scheduling',
  rootDir: __dirname,
  testTimeout: 60_000,
};
