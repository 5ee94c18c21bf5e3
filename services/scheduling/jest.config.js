module.exports = {
  ...require('../../jest.preset'),
  displayName: 'scheduling',
  rootDir: __dirname,
  // Prints the output of services a spec starts (tenancy) when a test fails; kills those left running.
  testEnvironment: require.resolve('@caas/testing/jest-environment'),
  testTimeout: 60_000,
};
