/**
The rpc and mcp faces never load Ink or React: bundling their commands alone (what `bcs-executor rpc` runs)
must not reach either package.
*/
import test from 'ava';
import {build} from 'esbuild';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

for (const command of ['rpc', 'mcp']) {
  test(`bin/commands/${command}.ts reaches no Ink or React module`, async (t) => {
    const result = await build({
      entryPoints: [`${root}/bin/commands/${command}.ts`],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      external: ['*.node', 'cpu-features'],
      // The command table's lazy loaders are not followed: only what this command imports counts.
      plugins: [
        {
          name: 'skip-table-loaders',
          setup(builder) {
            builder.onResolve({filter: /^\.\/(tui|apply|ps|inspect|stop|rm|demo)\.js$/}, () => ({
              path: 'skipped',
              external: true,
            }));
          },
        },
      ],
    });
    const inputs = Object.keys(result.metafile.inputs);
    t.true(inputs.some((path) => path.includes('rpc/server.ts') || path.includes('rpc/mcp/server.ts')));
    t.deepEqual(
      inputs.filter((path) => /node_modules\/(ink|react|react-reconciler)\//.test(path)),
      [],
    );
  });
}
