module.exports = {
  ...require('../../jest.preset'),
  displayName: 'tenancy',
  rootDir: __dirname,
  testTimeout: 60_000,
};
