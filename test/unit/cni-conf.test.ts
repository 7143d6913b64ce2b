import {mkdir, symlink} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import {findCniNetwork, loadCniConfDir, loadCniConfFile, parseCniConf} from '../../src/network/cni/conf.js';
import {FakeCniPlugins} from './cni-fake-plugin.js';

const bridge = {type: 'bridge', bridge: 'cni0', ipam: {type: 'host-local', subnet: '10.231.1.0/24'}};

test('a .conf and a .json are wrapped into lists of one; a .conflist keeps its plugins; files go in lexical order', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  await fake.writeConf('20-single.conf', {cniVersion: '1.0.0', name: 'single', ...bridge});
  await fake.writeConf('10-list.conflist', {
    cniVersion: '0.4.0',
    name: 'list',
    plugins: [bridge, {type: 'bandwidth', capabilities: {bandwidth: true}}],
  });
  await fake.writeConf('30-other.json', {cniVersion: '0.3.1', name: 'other', type: 'ptp'});

  const contents = await loadCniConfDir(fake.confDir);
  t.deepEqual(contents.problems, []);
  t.deepEqual(
    contents.networks.map((network) => [
      network.name,
      network.cniVersion,
      network.plugins.map((p) => p.type),
    ]),
    [
      ['list', '0.4.0', ['bridge', 'bandwidth']],
      ['single', '1.0.0', ['bridge']],
      ['other', '0.3.1', ['ptp']],
    ],
  );
  t.is(contents.networks[1]?.file, join(fake.confDir, '20-single.conf'));
  // The single conf is passed on whole: its plugin keys stay.
  t.deepEqual(contents.networks[1]?.plugins[0]?.ipam, bridge.ipam);
});

test('findCniNetwork finds a network by name, the first file winning when two share it', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  await fake.writeConf('50-b.conf', {cniVersion: '1.0.0', name: 'bcsnet', type: 'second'});
  await fake.writeConf('40-a.conf', {cniVersion: '1.0.0', name: 'bcsnet', type: 'first'});
  await fake.writeConf('60-c.conf', {cniVersion: '1.0.0', name: 'othernet', type: 'third'});
  const network = await findCniNetwork('bcsnet', fake.confDir);
  t.is(network.plugins[0]?.type, 'first');
  t.is((await findCniNetwork('othernet', fake.confDir)).plugins[0]?.type, 'third');
});

test('an unknown network name is NOT_FOUND listing the networks there are and naming files it skipped', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  await fake.writeConf('10-a.conf', {cniVersion: '1.0.0', name: 'alpha', type: 'bridge'});
  await fake.writeConf('20-b.conflist', {cniVersion: '1.0.0', name: 'beta', plugins: [{type: 'ptp'}]});
  const broken = await fake.writeConf('30-broken.conf', '{"name": "gamma", ');

  const error = await t.throwsAsync(findCniNetwork('gamma', fake.confDir));
  t.true(isEngineError(error));
  if (!isEngineError(error)) return;
  t.is(error.code, 'NOT_FOUND');
  t.like(error.details, {
    resource: 'cni-network',
    name: 'gamma',
    confDir: fake.confDir,
    available: ['alpha', 'beta'],
  });
  t.regex(error.message, /no CNI network named "gamma"/);
  t.true(error.message.includes(broken));
  const invalid = error.details.invalidFiles as {file: string; code: string}[];
  t.deepEqual(
    invalid.map((problem) => [problem.file, problem.code]),
    [[broken, 'VALIDATION']],
  );
});

test('a broken file does not hide the networks of the other files', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  await fake.writeConf('00-broken.conflist', 'not json at all');
  await fake.writeConf('10-good.conf', {cniVersion: '1.0.0', name: 'good', type: 'bridge'});
  t.is((await findCniNetwork('good', fake.confDir)).name, 'good');
  const contents = await loadCniConfDir(fake.confDir);
  t.is(contents.problems.length, 1);
  t.regex(contents.problems[0]?.message ?? '', /00-broken\.conflist.*not valid JSON/s);
});

test('invalid JSON is VALIDATION naming the file', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  const file = await fake.writeConf('10-bad.json', '{"cniVersion": "1.0.0",');
  const error = await t.throwsAsync(loadCniConfFile(file));
  t.true(isEngineError(error));
  if (!isEngineError(error)) return;
  t.is(error.code, 'VALIDATION');
  t.true(error.message.includes(file));
  t.like(error.details, {resource: 'cni-config', file});
});

test('every problem of a conflist is listed with its path', (t) => {
  const error = t.throws(() =>
    parseCniConf(
      JSON.stringify({name: '', plugins: [{type: 'bridge'}, {ipam: {}}, 'x']}),
      '/x/a.conflist',
      'conflist',
    ),
  );
  t.true(isEngineError(error));
  if (!isEngineError(error)) return;
  t.is(error.code, 'VALIDATION');
  t.deepEqual(
    (error.details.issues as {path: string}[]).map((issue) => issue.path),
    ['name', 'cniVersion', 'plugins[1].type', 'plugins[2]'],
  );
  const empty = t.throws(() =>
    parseCniConf('{"name":"n","cniVersion":"1.0.0","plugins":[]}', '/x/b.conflist', 'conflist'),
  );
  t.regex(empty.message, /plugins: must be a non-empty array/);
});

test('a single conf needs a type, and a list saved as .conf is told to become a .conflist', (t) => {
  const noType = t.throws(() => parseCniConf('{"name":"n","cniVersion":"1.0.0"}', '/x/a.conf', 'conf'));
  t.regex(noType.message, /type: is required/);
  const list = t.throws(() =>
    parseCniConf('{"name":"n","cniVersion":"1.0.0","plugins":[{"type":"bridge"}]}', '/x/a.conf', 'conf'),
  );
  t.regex(list.message, /belongs in a \.conflist file/);
  const array = t.throws(() => parseCniConf('[1]', '/x/a.conf', 'conf'));
  t.regex(array.message, /must be a JSON object/);
});

test('a missing conf dir is NOT_FOUND naming it', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  const missing = join(fake.confDir, 'nope');
  const error = await t.throwsAsync(findCniNetwork('x', missing));
  t.true(isEngineError(error));
  if (!isEngineError(error)) return;
  t.is(error.code, 'NOT_FOUND');
  t.like(error.details, {resource: 'cni-conf-dir', name: missing});
  t.true(error.message.includes(missing));
});

test('files of other kinds and directories are ignored; an unreadable file is reported by name', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  await fake.writeConf('10-net.conf.bak', '{oops');
  await fake.writeConf('README', 'hello');
  await mkdir(join(fake.confDir, '20-dir.conf'));
  const dangling = join(fake.confDir, '30-dangling.conflist');
  await symlink(join(fake.confDir, 'missing-target'), dangling);
  await fake.writeConf('40-ok.conf', {cniVersion: '1.0.0', name: 'ok', type: 'bridge'});

  const contents = await loadCniConfDir(fake.confDir);
  t.deepEqual(
    contents.networks.map((network) => network.name),
    ['ok'],
  );
  t.is(contents.problems.length, 1);
  t.is(contents.problems[0]?.file, dangling);
  t.is(contents.problems[0]?.code, 'ENGINE_ERROR');
  t.regex(contents.problems[0]?.message ?? '', /cannot read CNI config .*30-dangling\.conflist/);
});
