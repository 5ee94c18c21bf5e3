// Tests talk to the services started by infra/local; its env file says where.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const envFile = join(__dirname, '.local', 'env');
if (existsSync(envFile)) {
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
  }
}
