module.exports = {
  ...require('../../jest.preset'),
  displayName: 'images',
  rootDir: __dirname,
  testTimeout: 60_000,
};
