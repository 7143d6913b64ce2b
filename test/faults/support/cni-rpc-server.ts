/**
`bcs-executor rpc` with a CNI configuration, for the CNI variant of the kill-in-create test:
  node --import=tsx test/faults/support/cni-rpc-server.ts HOST CONF_DIR
The built binary has no flag for a CNI conf dir (`bcs-executor rpc` builds its engine with none, so a pod with
`network.driver: cni` is refused there as UNSUPPORTED). This is bin/commands/rpc.ts with one difference, the
engine's `cni` option; the server, its framing and its engine are the same modules the binary bundles.
*/
import {lazyEngine} from '../../../rpc/engine-handle.js';
import {createLogger} from '../../../rpc/log.js';
import {DEFAULT_POLICY} from '../../../rpc/policy.js';
import {startRpcServer} from '../../../rpc/server.js';
import {claimStdout} from '../../../rpc/stdio.js';
import {createEngine, DockerRuntime} from '../../../src/index.js';

const [host = '', confDir = ''] = process.argv.slice(2);
if (host === '' || confDir === '') {
  process.stderr.write('usage: cni-rpc-server.ts HOST CONF_DIR\n');
  process.exit(2);
}
const output = claimStdout(process.stdout, process.stderr);
const runtime = new DockerRuntime({endpoint: host});
const engine = lazyEngine(runtime.endpoint, () =>
  Promise.resolve(createEngine({runtime, cni: {confDir, pluginDirs: ['/usr/lib/cni']}})),
);
const server = startRpcServer({
  input: process.stdin,
  output: process.stdout,
  write: output.write,
  engine,
  policy: DEFAULT_POLICY,
  log: createLogger(process.stderr, 'warn'),
  serverInfo: {name: 'bcs-executor', version: 'faults-cni'},
});
void engine.get().catch(() => undefined);
const code = await server.done;
await output.flush();
process.exit(code);
