// Bundles the program into one ESM file (dist/bcs-executor.mjs) that package.json's `bin` points to.
import {build} from 'esbuild';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const {unusedDockerodeParts} = await import('./bundle-stubs.ts');
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));

// The node flags the program runs with (rpc/client/node-flags.ts says why): in the shebang, so the installed
// `bcs-executor` gets them; whoever spawns `node dist/bcs-executor.mjs` passes them itself. (npm run build runs
// this script under tsx, so it imports the TypeScript module that everything else imports.)
const {SERVER_NODE_FLAGS} = await import('../rpc/client/node-flags.ts');

// Ink and dockerode carry CommonJS parts that expect require/__filename/__dirname.
const banner = [
  `#!/usr/bin/env -S node ${SERVER_NODE_FLAGS.join(' ')}`,
  "import {createRequire as __bcsCreateRequire} from 'node:module';",
  "import {fileURLToPath as __bcsFileURLToPath} from 'node:url';",
  "import {dirname as __bcsDirname} from 'node:path';",
  'const require = __bcsCreateRequire(import.meta.url);',
  'const __filename = __bcsFileURLToPath(import.meta.url);',
  'const __dirname = __bcsDirname(__filename);',
].join('\n');

await build({
  entryPoints: [`${root}/bin/bcs-executor.ts`],
  outfile: `${root}/dist/bcs-executor.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  banner: {js: banner},
  define: {
    'process.env.NODE_ENV': '"production"',
    __BCS_VERSION__: JSON.stringify(pkg.version),
  },
  alias: {'react-devtools-core': `${root}/scripts/stubs/react-devtools-core.js`},
  plugins: [unusedDockerodeParts(root)],
  // ssh2's optional native parts; dockerode falls back without them.
  external: ['*.node', 'cpu-features'],
  logLevel: 'warning',
});

// npm links `bin` as is; the file must be executable when run directly.
const {chmodSync} = await import('node:fs');
chmodSync(`${root}/dist/bcs-executor.mjs`, 0o755);
