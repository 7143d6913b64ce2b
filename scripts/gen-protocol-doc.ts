/**
Writes docs/protocol.md from the method table (`npm run docs:protocol`). With `--check`, fails instead when
the file differs from what would be written.
*/
import {readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describeProtocol} from '../rpc/discover.js';
import {allMethods} from '../rpc/dispatch.js';
import {renderProtocolDoc} from '../rpc/doc/render.js';

const target = fileURLToPath(new URL('../docs/protocol.md', import.meta.url));
const text = renderProtocolDoc(describeProtocol(allMethods()));

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // A missing file is stale too.
  }
  if (current !== text) {
    process.stderr.write('docs/protocol.md is stale: run npm run docs:protocol\n');
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
