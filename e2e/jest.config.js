module.exports = {
  ...require('../jest.preset'),
  displayName: 'e2e',
  rootDir: __dirname,
  // Prints the services' output when a test fails; kills those left running.
  testEnvironment: require.resolve('@caas/testing/jest-environment'),
  testTimeout: 60_000,
};
