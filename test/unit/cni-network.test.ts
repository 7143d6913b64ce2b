import test from 'ava';
import {isEngineError, type EngineError} from '../../src/errors.js';
import {cniAdd, cniDel, type CniDelOptions} from '../../src/network/cni/cni-network.js';
import {FakeCniPlugins, type FakeCall} from './cni-fake-plugin.js';

const MAIN_RESULT = {
  cniVersion: '1.0.0',
  interfaces: [
    {name: 'br0'},
    {name: 'veth1', mac: '02:00:00:00:00:01'},
    {name: 'eth1', sandbox: '/proc/42/ns/net'},
  ],
  ips: [{address: '10.231.7.5/24', gateway: '10.231.7.1', interface: 2}],
};
const SHAPED_RESULT = {...MAIN_RESULT, interfaces: [...MAIN_RESULT.interfaces, {name: 'bwp123'}]};
const FINAL_RESULT = {...SHAPED_RESULT, dns: {nameservers: ['10.231.7.1']}};

/** A three-plugin list: main (gives the IP), shaper (declares bandwidth), tail (declares portMappings). */
async function threePlugins(t: Parameters<typeof FakeCniPlugins.create>[0]): Promise<FakeCniPlugins> {
  const fake = await FakeCniPlugins.create(t);
  await fake.install('main', {ADD: {stdout: MAIN_RESULT}});
  await fake.install('shaper', {ADD: {stdout: SHAPED_RESULT}});
  await fake.install('tail', {ADD: {stdout: FINAL_RESULT}});
  await fake.writeConf('10-bcsnet.conflist', {
    cniVersion: '1.0.0',
    name: 'bcsnet',
    plugins: [
      {type: 'main', bridge: 'br0', ipam: {type: 'host-local'}},
      {type: 'shaper', capabilities: {bandwidth: true}},
      {type: 'tail', capabilities: {portMappings: true, bandwidth: false}},
    ],
  });
  return fake;
}

function base(fake: FakeCniPlugins, extra: Partial<CniDelOptions> = {}): CniDelOptions {
  return {
    network: 'bcsnet',
    containerId: 'infra0123',
    netnsPath: '/proc/42/ns/net',
    confDir: fake.confDir,
    pluginDirs: [fake.dir],
    ...extra,
  };
}

function order(calls: readonly FakeCall[]): string[] {
  return calls.map((call) => `${call.command} ${call.type}`);
}

function engineError(t: {true: (value: boolean) => void}, error: unknown): EngineError {
  t.true(isEngineError(error));
  return error as EngineError;
}

test('ADD chains each result into the next plugin as prevResult and returns the pod IP', async (t) => {
  const fake = await threePlugins(t);
  const added = await cniAdd(base(fake));
  t.is(added.podIP, '10.231.7.5');
  t.deepEqual(added.ips, [{address: '10.231.7.5/24', gateway: '10.231.7.1', interface: 2}]);
  t.deepEqual(
    added.interfaces.map((i) => i.name),
    ['br0', 'veth1', 'eth1', 'bwp123'],
  );
  t.deepEqual(added.result, FINAL_RESULT);

  const calls = await fake.calls();
  t.deepEqual(order(calls), ['ADD main', 'ADD shaper', 'ADD tail']);
  t.false('prevResult' in (calls[0]?.stdin ?? {}));
  t.deepEqual(calls[1]?.stdin.prevResult, MAIN_RESULT);
  t.deepEqual(calls[2]?.stdin.prevResult, SHAPED_RESULT);
  for (const call of calls) {
    t.like(call.stdin, {name: 'bcsnet', cniVersion: '1.0.0'});
    t.false('capabilities' in call.stdin);
    t.like(call.env, {
      CNI_IFNAME: 'eth1',
      CNI_CONTAINERID: 'infra0123',
      CNI_NETNS: '/proc/42/ns/net',
      CNI_PATH: fake.dir,
    });
  }
  t.like(calls[0]?.stdin, {bridge: 'br0', ipam: {type: 'host-local'}});
});

test('the egress limit reaches only the plugin declaring the bandwidth capability; args carry IP and the seed arg', async (t) => {
  const fake = await threePlugins(t);
  await cniAdd(base(fake, {ip: '10.231.7.5', egressMbps: 10, ifName: 'net0'}));
  const calls = await fake.calls();
  t.false('runtimeConfig' in (calls[0]?.stdin ?? {}));
  t.deepEqual(calls[1]?.stdin.runtimeConfig, {bandwidth: {egressRate: 10_000_000, egressBurst: 1_000_000}});
  t.false('runtimeConfig' in (calls[2]?.stdin ?? {}));
  for (const call of calls) {
    t.is(call.env.CNI_ARGS, 'CTNR_NET_EGRESS_RATE=10240;IgnoreUnknown=1;IP=10.231.7.5');
    t.is(call.env.CNI_IFNAME, 'net0');
  }
});

test('DEL runs the list in reverse with the same args, and the ADD result as prevResult when given', async (t) => {
  const fake = await threePlugins(t);
  await cniDel(base(fake, {ip: '10.231.7.5', prevResult: FINAL_RESULT}));
  const calls = await fake.calls();
  t.deepEqual(order(calls), ['DEL tail', 'DEL shaper', 'DEL main']);
  for (const call of calls) {
    t.is(call.env.CNI_ARGS, 'IgnoreUnknown=1;IP=10.231.7.5');
    t.deepEqual(call.stdin.prevResult, FINAL_RESULT);
  }
  await cniDel(base(fake));
  t.false('prevResult' in ((await fake.calls())[3]?.stdin ?? {}));
});

test('DEL counts "not found" as done and goes on past a failing plugin, then reports it', async (t) => {
  const fake = await threePlugins(t);
  await fake.behave('tail', 'DEL', {stdout: {code: 3, msg: 'container unknown'}, exitCode: 1});
  await fake.behave('shaper', 'DEL', {stdout: {code: 999, msg: 'Link not found'}, exitCode: 1});
  await cniDel(base(fake));
  t.deepEqual(order(await fake.calls()), ['DEL tail', 'DEL shaper', 'DEL main']);

  await fake.behave('shaper', 'DEL', {stdout: {code: 999, msg: 'netlink: permission denied'}, exitCode: 1});
  const error = engineError(t, await t.throwsAsync(cniDel(base(fake))));
  t.is(error.code, 'ENGINE_ERROR');
  t.is(error.details.cniMsg, 'netlink: permission denied');
  t.deepEqual(order((await fake.calls()).slice(3)), ['DEL tail', 'DEL shaper', 'DEL main']);

  await fake.behave('main', 'DEL', {stderr: 'boom', exitCode: 1});
  const partial = engineError(t, await t.throwsAsync(cniDel(base(fake))));
  t.is(partial.code, 'PARTIAL_FAILURE');
  t.is((partial.details.failures as unknown[]).length, 2);
});

test('a failed ADD runs DEL over the whole list before the error is rethrown', async (t) => {
  const fake = await threePlugins(t);
  await fake.behave('shaper', 'ADD', {stdout: {code: 11, msg: 'try again later'}, exitCode: 1});
  const error = engineError(t, await t.throwsAsync(cniAdd(base(fake, {ip: '10.231.7.5'}))));
  t.is(error.code, 'ENGINE_ERROR');
  t.like(error.details, {plugin: 'shaper', command: 'ADD', cniCode: 11});
  t.is(error.details.cleanupError, undefined);
  const calls = await fake.calls();
  t.deepEqual(order(calls), ['ADD main', 'ADD shaper', 'DEL tail', 'DEL shaper', 'DEL main']);
  t.is(calls[4]?.env.CNI_ARGS, 'IgnoreUnknown=1;IP=10.231.7.5');
});

test('seed case 54: a result without IPs is "lack of ip resource", after a DEL that gets that result', async (t) => {
  const fake = await threePlugins(t);
  const noIps = {cniVersion: '1.0.0', interfaces: [], ips: []};
  await fake.behave('tail', 'ADD', {stdout: noIps});
  const error = engineError(t, await t.throwsAsync(cniAdd(base(fake))));
  t.is(error.code, 'ENGINE_ERROR');
  t.regex(error.message, /lack of ip resource/);
  const calls = await fake.calls();
  t.deepEqual(order(calls).slice(3), ['DEL tail', 'DEL shaper', 'DEL main']);
  t.deepEqual(calls[3]?.stdin.prevResult, noIps);
});

test('a requested IP the network did not assign fails the ADD and cleans up', async (t) => {
  const fake = await threePlugins(t);
  const error = engineError(t, await t.throwsAsync(cniAdd(base(fake, {ip: '10.231.7.99'}))));
  t.regex(error.message, /did not assign the requested IP 10\.231\.7\.99 \(got 10\.231\.7\.5\)/);
  t.deepEqual(order(await fake.calls()).slice(3), ['DEL tail', 'DEL shaper', 'DEL main']);
});

test('a timed-out ADD is cleaned up with a DEL of its own deadline', async (t) => {
  const fake = await threePlugins(t);
  await fake.behave('main', 'ADD', {sleepSeconds: 30});
  const error = engineError(t, await t.throwsAsync(cniAdd(base(fake, {timeoutMs: 300}))));
  t.is(error.code, 'TIMEOUT');
  t.deepEqual(order(await fake.calls()), ['ADD main', 'DEL tail', 'DEL shaper', 'DEL main']);
});

test('a cancelled ADD still cleans up, since the signal that stopped it must not stop the DEL', async (t) => {
  const fake = await threePlugins(t);
  await fake.behave('shaper', 'ADD', {sleepSeconds: 30});
  const controller = new AbortController();
  // Cancel once the slow plugin is really running (a fixed delay raced the first plugin on a loaded host).
  const cancelWhenShaping = (async () => {
    for (let i = 0; i < 300 && !order(await fake.calls()).includes('ADD shaper'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    controller.abort();
  })();
  const error = engineError(t, await t.throwsAsync(cniAdd(base(fake, {signal: controller.signal}))));
  await cancelWhenShaping;
  t.is(error.code, 'CANCELLED');
  t.deepEqual(order(await fake.calls()), ['ADD main', 'ADD shaper', 'DEL tail', 'DEL shaper', 'DEL main']);
});

test('a cleanup DEL that fails is reported with the ADD error', async (t) => {
  const fake = await threePlugins(t);
  await fake.behave('tail', 'ADD', {stdout: {code: 7, msg: 'bad tail config'}, exitCode: 1});
  await fake.behave('main', 'DEL', {stdout: {code: 5, msg: 'ipam store locked'}, exitCode: 1});
  const error = engineError(t, await t.throwsAsync(cniAdd(base(fake))));
  t.is(error.details.cniMsg, 'bad tail config');
  t.like(error.details.cleanupError, {code: 'ENGINE_ERROR', details: {cniMsg: 'ipam store locked'}});
});

test('an egress limit on a network without a bandwidth plugin is UNSUPPORTED before any plugin runs', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  await fake.install('main', {ADD: {stdout: MAIN_RESULT}});
  await fake.writeConf('10-plain.conf', {cniVersion: '1.0.0', name: 'plain', type: 'main'});
  const error = engineError(t, await t.throwsAsync(cniAdd(base(fake, {network: 'plain', egressMbps: 5}))));
  t.is(error.code, 'UNSUPPORTED');
  t.regex(error.message, /"type": "bandwidth"/);
  t.deepEqual(await fake.calls(), []);
  t.is((await cniAdd(base(fake, {network: 'plain'}))).podIP, '10.231.7.5');
});

test('bad attachment parameters are VALIDATION listing every problem, before any plugin runs', async (t) => {
  const fake = await threePlugins(t);
  const error = engineError(
    t,
    await t.throwsAsync(
      cniAdd(
        base(fake, {
          containerId: '-bad id',
          netnsPath: 'proc/1/ns/net',
          ifName: 'a-very-long-interface-name',
          ip: '10.231.7',
          egressMbps: -1,
        }),
      ),
    ),
  );
  t.is(error.code, 'VALIDATION');
  t.deepEqual(
    (error.details.issues as {path: string}[]).map((issue) => issue.path),
    ['containerId', 'netnsPath', 'ifName', 'ip', 'egressMbps'],
  );
  t.deepEqual(await fake.calls(), []);
});

test('an unknown network fails ADD and DEL with NOT_FOUND before any plugin runs', async (t) => {
  const fake = await threePlugins(t);
  for (const run of [
    () => cniAdd(base(fake, {network: 'nope'})),
    () => cniDel(base(fake, {network: 'nope'})),
  ]) {
    const error = engineError(t, await t.throwsAsync(run()));
    t.is(error.code, 'NOT_FOUND');
    t.like(error.details, {resource: 'cni-network', name: 'nope', available: ['bcsnet']});
  }
  t.deepEqual(await fake.calls(), []);
});

test('a missing plugin binary fails the ADD naming the dirs searched', async (t) => {
  const fake = await threePlugins(t);
  await fake.writeConf('20-ghost.conf', {cniVersion: '1.0.0', name: 'ghost', type: 'ghost'});
  const error = engineError(t, await t.throwsAsync(cniAdd(base(fake, {network: 'ghost'}))));
  t.is(error.code, 'NOT_FOUND');
  t.like(error.details, {resource: 'cni-plugin', name: 'ghost', searched: [fake.dir]});
});
