// The node test environment, plus: when a test (or a hook) fails, it prints the output
// of the service processes the test file started with startServiceProcess
// (src/service-process.ts), and when the file ends it kills any still running.
//
//   module.exports = { ..., testEnvironment: require.resolve('@caas/testing/jest-environment') };
const { TestEnvironment } = require('jest-environment-node');

/** SERVICE_REGISTRY in src/service-process.ts. */
const REGISTRY = '__caasServiceProcesses';
const TAIL_LINES = 80;

class ServiceLogsEnvironment extends TestEnvironment {
  /** The last tail printed per service, so a failing beforeAll does not print it once per test. */
  printed = new Map();

  async handleTestEvent(event) {
    if (event.name === 'hook_failure') this.printLogs(`the ${event.hook.type} hook failed`);
    if (event.name === 'test_done' && event.test.errors.length > 0) this.printLogs(`"${fullName(event.test)}" failed`);
  }

  printLogs(what) {
    for (const service of this.services()) {
      const lines = service.logs().trimEnd().split('\n');
      const tail = lines.slice(-TAIL_LINES).join('\n');
      const heading = `── ${service.name}, ${what}:`;
      if (this.printed.get(service) === tail) {
        process.stderr.write(`\n${heading} no new output since it was printed above\n`);
        continue;
      }
      this.printed.set(service, tail);
      const shown = lines.length > TAIL_LINES ? `the last ${TAIL_LINES} of ${lines.length} lines` : 'its output';
      process.stderr.write(`\n${heading} ${shown} ──\n${tail}\n── end of ${service.name} ──\n`);
    }
  }

  services() {
    return this.global?.[REGISTRY] ?? [];
  }

  async teardown() {
    await Promise.all([...this.services()].filter((s) => s.running).map((s) => s.kill('SIGKILL')));
    await super.teardown();
  }
}

function fullName(test) {
  const names = [];
  for (let block = test; block && block.name !== 'ROOT_DESCRIBE_BLOCK'; block = block.parent) names.unshift(block.name);
  return names.join(' › ');
}

module.exports = ServiceLogsEnvironment;
