// Runs every workspace project's tests in one jest process (one summary for CI).
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/services/*/jest.config.js'],
};
