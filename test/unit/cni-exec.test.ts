import test from 'ava';
import {isEngineError, type EngineError} from '../../src/errors.js';
import {execCniPlugin, type ExecCniPluginOptions} from '../../src/network/cni/exec-plugin.js';
import {FakeCniPlugins} from './cni-fake-plugin.js';

function options(pluginPath: string, extra: Partial<ExecCniPluginOptions> = {}): ExecCniPluginOptions {
  return {
    pluginPath,
    command: 'ADD',
    containerId: 'infra123',
    netnsPath: '/proc/4242/ns/net',
    ifName: 'eth1',
    args: [
      ['IgnoreUnknown', '1'],
      ['IP', '10.231.9.9'],
    ],
    cniPath: ['/first/dir', '/second/dir'],
    config: {cniVersion: '1.0.0', name: 'bcsnet', type: 'fake'},
    ...extra,
  };
}

function engineError(t: {true: (value: boolean) => void}, error: unknown): EngineError {
  t.true(isEngineError(error));
  return error as EngineError;
}

const RESULT = {cniVersion: '1.0.0', ips: [{address: '10.231.9.9/24'}]};

test('the plugin gets the CNI_* env, the config on stdin, and its JSON result is returned', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  const path = await fake.install('fake', {ADD: {stdout: RESULT}});
  t.deepEqual(await execCniPlugin(options(path)), RESULT);
  const [call] = await fake.calls();
  t.like(call?.env, {
    CNI_COMMAND: 'ADD',
    CNI_CONTAINERID: 'infra123',
    CNI_NETNS: '/proc/4242/ns/net',
    CNI_IFNAME: 'eth1',
    CNI_ARGS: 'IgnoreUnknown=1;IP=10.231.9.9',
    CNI_PATH: '/first/dir:/second/dir',
  });
  t.deepEqual(call?.stdin, {cniVersion: '1.0.0', name: 'bcsnet', type: 'fake'});
});

test('empty stdout is no result (DEL prints nothing)', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  const path = await fake.install('fake');
  t.is(await execCniPlugin(options(path, {command: 'DEL'})), undefined);
});

test("a plugin's CNI error becomes an ENGINE_ERROR carrying its code, msg and details", async (t) => {
  const fake = await FakeCniPlugins.create(t);
  const path = await fake.install('fake', {
    ADD: {
      stdout: {code: 7, msg: 'invalid network config', details: 'subnet missing'},
      exitCode: 1,
      stderr: 'log line',
    },
  });
  const error = engineError(t, await t.throwsAsync(execCniPlugin(options(path))));
  t.is(error.code, 'ENGINE_ERROR');
  t.regex(
    error.message,
    /CNI plugin fake ADD failed: invalid network config \(subnet missing\) \[CNI code 7\]/,
  );
  t.like(error.details, {
    resource: 'cni-plugin',
    plugin: 'fake',
    command: 'ADD',
    network: 'bcsnet',
    exitCode: 1,
    cniCode: 7,
    cniMsg: 'invalid network config',
    cniDetails: 'subnet missing',
    stderr: 'log line',
  });
});

test('a failure without a CNI error object reports the exit code and stderr', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  const path = await fake.install('fake', {ADD: {stderr: 'panic: nil map\n', exitCode: 2}});
  const error = engineError(t, await t.throwsAsync(execCniPlugin(options(path))));
  t.is(error.code, 'ENGINE_ERROR');
  t.is(error.message, 'CNI plugin fake ADD exited with code 2: panic: nil map');
  t.is(error.details.cniCode, undefined);
});

test('success with output that is not JSON is an error', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  const path = await fake.install('fake', {ADD: {stdout: 'ok!'}});
  const error = engineError(t, await t.throwsAsync(execCniPlugin(options(path))));
  t.is(error.code, 'ENGINE_ERROR');
  t.regex(error.message, /printed invalid JSON: ok!/);
});

test('a hung plugin is killed at its deadline: TIMEOUT', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  const path = await fake.install('fake', {ADD: {sleepSeconds: 30}});
  const started = Date.now();
  const error = engineError(t, await t.throwsAsync(execCniPlugin(options(path, {timeoutMs: 300}))));
  t.is(error.code, 'TIMEOUT');
  t.like(error.details, {timeoutMs: 300, plugin: 'fake', command: 'ADD'});
  t.true(Date.now() - started < 5000);
});

test('a child left holding stdout after the plugin exits is killed at the deadline too', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  const path = await fake.install('fake', {ADD: {stdout: RESULT, backgroundSeconds: 30}});
  const started = Date.now();
  const error = engineError(t, await t.throwsAsync(execCniPlugin(options(path, {timeoutMs: 500}))));
  t.is(error.code, 'TIMEOUT');
  t.true(Date.now() - started < 5000);
});

test('aborting the signal kills the plugin: CANCELLED; an aborted signal runs nothing', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  const path = await fake.install('fake', {ADD: {sleepSeconds: 30}});
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const started = Date.now();
  const error = engineError(
    t,
    await t.throwsAsync(execCniPlugin(options(path, {signal: controller.signal}))),
  );
  t.is(error.code, 'CANCELLED');
  t.true(Date.now() - started < 5000);
  t.is((await fake.calls()).length, 1);

  const again = engineError(
    t,
    await t.throwsAsync(execCniPlugin(options(path, {signal: controller.signal}))),
  );
  t.is(again.code, 'CANCELLED');
  t.is((await fake.calls()).length, 1);
});

test('a plugin that cannot be started is an ENGINE_ERROR naming it', async (t) => {
  const fake = await FakeCniPlugins.create(t);
  const error = engineError(t, await t.throwsAsync(execCniPlugin(options(`${fake.dir}/absent`))));
  t.is(error.code, 'ENGINE_ERROR');
  t.regex(error.message, /cannot run CNI plugin .*absent/);
});
