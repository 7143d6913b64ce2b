/**
The shipped bundle leaves out the dockerode parts the engine never reaches (BuildKit's gRPC session and
protobufjs progress decoder, docker-modem's ssh2 agent): every stub must still match what dockerode imports,
or an upgrade would quietly bring a quarter of the bundle back.
*/
import test from 'ava';
import {build} from 'esbuild';
import {fileURLToPath} from 'node:url';
import {unusedDockerodeParts} from '../../scripts/bundle-stubs.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('the bundle takes the three stubs and none of grpc, protobufjs or ssh2', async (t) => {
  const result = await build({
    entryPoints: [`${root}/bin/bcs-executor.ts`],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    jsx: 'automatic',
    logLevel: 'silent',
    define: {'process.env.NODE_ENV': '"production"'},
    alias: {'react-devtools-core': `${root}/scripts/stubs/react-devtools-core.js`},
    external: ['*.node', 'cpu-features'],
    plugins: [unusedDockerodeParts(root)],
  });
  const inputs = Object.keys(result.metafile.inputs);
  t.deepEqual(
    inputs.filter((path) => /node_modules\/(@grpc|protobufjs|ssh2)\//.test(path)),
    [],
  );
  for (const stub of ['dockerode-session.js', 'dockerode-buildkit.js', 'docker-modem-ssh.js'])
    t.true(
      inputs.some((path) => path.endsWith(`scripts/stubs/${stub}`)),
      stub,
    );
});
