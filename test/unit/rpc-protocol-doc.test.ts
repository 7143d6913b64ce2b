import test from 'ava';
import {readFileSync} from 'node:fs';
import {describeProtocol} from '../../rpc/discover.js';
import {allMethods} from '../../rpc/dispatch.js';
import {renderProtocolDoc} from '../../rpc/doc/render.js';
import {NOTIFICATIONS} from '../../rpc/notifications.js';

const rendered = renderProtocolDoc(describeProtocol(allMethods()));

test('docs/protocol.md is what the method table renders (run npm run docs:protocol when this fails)', (t) => {
  const onDisk = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
  t.true(onDisk === rendered, 'docs/protocol.md is stale: run npm run docs:protocol');
});

test('the document covers every method, notification and error code', (t) => {
  for (const method of allMethods()) t.true(rendered.includes(`### \`${method.name}\``), method.name);
  for (const name of Object.keys(NOTIFICATIONS)) t.true(rendered.includes(`### \`${name}\``), name);
  for (const code of [-32700, -32600, -32601, -32602, -32603, -32002, -32800, 1001, 1007, 1012, 1013]) {
    t.true(rendered.includes(`| ${code} |`), String(code));
  }
  t.true(rendered.includes('## Example session'));
});
