import {chmod, mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import {DEFAULT_CNI_PLUGIN_DIRS} from '../../src/network/cni/defaults.js';
import {findCniPlugin} from '../../src/network/cni/plugin-path.js';
import {FakeCniPlugins} from './cni-fake-plugin.js';

test('the first plugin dir holding an executable of that name wins', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  const second = join(fake.confDir, 'second');
  await mkdir(second);
  await writeFile(join(second, 'bridge'), '#!/bin/sh\n');
  await chmod(join(second, 'bridge'), 0o755);
  const first = await fake.install('bridge');
  t.is(await findCniPlugin('bridge', [fake.dir, second]), first);
  t.is(await findCniPlugin('bridge', [join(fake.dir, 'missing'), second]), join(second, 'bridge'));
});

test('a file without the execute bit, or a directory, is not a plugin', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  await writeFile(join(fake.dir, 'plain'), '#!/bin/sh\n');
  await chmod(join(fake.dir, 'plain'), 0o644);
  await mkdir(join(fake.dir, 'adir'));
  for (const type of ['plain', 'adir']) {
    const error = await t.throwsAsync(findCniPlugin(type, [fake.dir]));
    t.is(isEngineError(error) ? error.code : undefined, 'NOT_FOUND');
  }
});

test('a missing plugin is NOT_FOUND naming every dir searched', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  const dirs = [fake.dir, '/nonexistent/cni/bin'];
  const error = await t.throwsAsync(findCniPlugin('macvtap-x', dirs));
  t.true(isEngineError(error));
  if (!isEngineError(error)) return;
  t.is(error.code, 'NOT_FOUND');
  t.deepEqual(error.details, {resource: 'cni-plugin', name: 'macvtap-x', searched: dirs});
  t.true(error.message.includes(fake.dir));
  t.true(error.message.includes('/nonexistent/cni/bin'));
});

test('a type that is not a bare file name is refused before any lookup', async (t) => {
  for (const type of ['../bin/sh', '/bin/sh', '.', '..', '', 'a b']) {
    const error = await t.throwsAsync(findCniPlugin(type, ['/usr/lib/cni']));
    t.is(isEngineError(error) ? error.code : undefined, 'VALIDATION', type);
  }
});

test('plugins are looked for in Debian and upstream dirs by default', (t) => {
  t.deepEqual(DEFAULT_CNI_PLUGIN_DIRS, ['/usr/lib/cni', '/opt/cni/bin']);
});
