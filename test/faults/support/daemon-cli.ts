/**
The private dockerd from a shell (scripts/test-faults):
  node --import=tsx test/faults/support/daemon-cli.ts start         prints the state file's path on stdout
  node --import=tsx test/faults/support/daemon-cli.ts teardown FILE removes that daemon and everything it made
*/
import {PrivateDockerd} from '../../support/private-dockerd.js';

const [command, file] = process.argv.slice(2);
try {
  if (command === 'start') {
    const daemon = await PrivateDockerd.start();
    process.stderr.write(
      `test-faults: private dockerd ${daemon.state.id} at ${daemon.host} (bridge ${daemon.state.bridge}, ${daemon.state.subnet})\n`,
    );
    process.stdout.write(`${daemon.state.stateFile}\n`);
  } else if (command === 'teardown' && file !== undefined) {
    await PrivateDockerd.attach(file).teardown();
  } else {
    process.stderr.write('usage: daemon-cli.ts start | teardown STATE_FILE\n');
    process.exitCode = 2;
  }
} catch (error) {
  process.stderr.write(`test-faults: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
