/**
The pod cases of seed-spec section 7 (35-60) on the real dockerd, with the fixed behaviour where the seed had a
bug. Cases that belong to the executor's Mesos protocol (50's exit 255, 52, 56, 59, 60) have no counterpart
here; 39 and 40 are in pod-lifecycle.test.ts, 53-55 for CNI in pod-cni.test.ts and the unit suite.
*/
import test from 'ava';
import {LABELS} from '../../src/constants.js';
import type {EngineError} from '../../src/errors.js';
import {dockerCli, dockerInspect} from '../support/container-helpers.js';
import {
  app,
  cleanUpRealEngines,
  eventually,
  nextEvent,
  podName,
  podSpec,
  realEngine,
} from '../support/pod-helpers.js';
import {runId} from '../support/run-id.js';

test.after.always(cleanUpRealEngines);

const SLEEPER = 'sleep 3600';

function podContainers(name: string): Promise<string[]> {
  return dockerCli(['ps', '-aq', '--filter', `label=${LABELS.pod}=${name}`]).then((out) =>
    out.split('\n').filter((line) => line !== ''),
  );
}

/** A file Docker cannot write: its parent is a file, so the archive upload (preStart) fails. */
const BAD_FILE = {path: '/etc/passwd/oops', content: 'x'};

test('35: a preStart failure on the first container removes everything; the pod is failed with the reason', async (t) => {
  const engine = await realEngine();
  const name = podName('c35');
  const result = await engine.createPod(
    podSpec(name, [app('a', SLEEPER, {files: [BAD_FILE]}), app('b', SLEEPER)]),
  );
  t.is(result.pod.status, 'failed');
  t.regex(result.pod.message, /container a: preStart failed/);
  t.deepEqual(await podContainers(name), []);
});

test('36: a preStart failure on a later container does not panic: the started ones are stopped and all removed', async (t) => {
  const engine = await realEngine();
  const name = podName('c36');
  const result = await engine.createPod(
    podSpec(name, [app('a', SLEEPER), app('b', SLEEPER, {files: [BAD_FILE]})]),
  );
  t.is(result.pod.status, 'failed');
  t.regex(result.pod.message, /container b: preStart failed/);
  t.deepEqual(await podContainers(name), []);
});

test('37: a failure on the Nth container stops and removes the ones already started', async (t) => {
  const engine = await realEngine();
  const startFails = podName('c37s');
  // Docker accepts a missing device at create and refuses it at start.
  const bad = app('b', SLEEPER, {extendedResources: [{name: 'nope', devices: ['/dev/bcs-no-such-device']}]});
  const result = await engine.createPod(podSpec(startFails, [app('a', SLEEPER), bad]));
  t.is(result.pod.status, 'failed');
  t.regex(result.pod.message, /container b: start failed/);
  t.deepEqual(await podContainers(startFails), []);
  t.true(
    engine
      .activity()
      .some(
        (entry) => entry.pod === startFails && entry.source === 'docker' && /a exited/.test(entry.message),
      ),
    'a was started, then stopped',
  );

  // A create refused by Docker (the name is taken by a stray container): what the pod made is removed.
  const createFails = podName('c37c');
  const stray = (
    await dockerCli([
      'create',
      '--name',
      `${createFails}-b`,
      '--label',
      `${LABELS.testRun}=${runId}`,
      'bcs-executor/demo:local',
    ])
  ).trim();
  const error = await t.throwsAsync<EngineError>(
    engine.createPod(podSpec(createFails, [app('a', SLEEPER), app('b', SLEEPER)])),
  );
  t.is(error?.code, 'ALREADY_EXISTS');
  t.deepEqual(
    await podContainers(createFails),
    [],
    'the stray container carries no pod label; nothing of the pod is left',
  );
  t.true((await dockerInspect(stray)).Id !== undefined, "the stray container is not the engine's to remove");
});

test('38: under Never an exit 0 still fails the pod; the others are stopped, not removed', async (t) => {
  const engine = await realEngine();
  const name = podName('c38');
  const failed = nextEvent(
    engine,
    'pod:status',
    (event) => event.pod.name === name && event.pod.status === 'failed',
    20_000,
  );
  await engine.createPod(podSpec(name, [app('quick', 'sleep 1; exit 0'), app('b', SLEEPER)]));
  t.is((await failed).pod.message, 'container quick exited with 0');
  const view = await eventually(
    async () => {
      const current = await engine.getPod(name);
      return current.containers[1]?.status === 'exited' ? current : undefined;
    },
    20_000,
    'b stopped',
  );
  t.is(view.containers.length, 2);
  t.is((await podContainers(name)).length, 3, 'stopped, not removed: logs can still be read');
  t.is(view.infra.status, 'running');
});

test('38b: every app exiting 0 is finish', async (t) => {
  const engine = await realEngine();
  const name = podName('c38b');
  const finished = nextEvent(
    engine,
    'pod:status',
    (event) => event.pod.name === name && event.pod.status === 'finish',
    20_000,
  );
  await engine.createPod(podSpec(name, [app('job', 'echo done')]));
  t.is((await finished).pod.containers[0]?.exitCode, 0);
});

test('42: start in spec order, stop in reverse, the infra last', async (t) => {
  const engine = await realEngine();
  const name = podName('c42');
  const order = ['c', 'a', 'd', 'b'];
  const {pod} = await engine.createPod(
    podSpec(
      name,
      order.map((container) => app(container, 'trap "exit 0" TERM; sleep 3600 & wait')),
    ),
  );
  const starts = pod.containers.map((container) => [container.name, container.startedAt ?? ''] as const);
  t.deepEqual(
    [...starts].sort((x, y) => x[1].localeCompare(y[1])).map(([container]) => container),
    order,
  );
  t.true((pod.infra.startedAt ?? '') < (starts[0]?.[1] ?? ''));
  const {pod: stopped} = await engine.stopPod(name);
  const finishes = [...stopped.containers, stopped.infra].map(
    (container) => [container.name, container.finishedAt ?? ''] as const,
  );
  t.deepEqual(
    [...finishes].sort((x, y) => x[1].localeCompare(y[1])).map(([container]) => container),
    [...order].reverse().concat('infra'),
  );
  t.is(stopped.infra.exitCode, 137, "the deliberate stop's mark");
  t.is(stopped.status, 'killed');
});

test('43: running means every app runs now, however their starts spread', async (t) => {
  const engine = await realEngine();
  const name = podName('c43');
  const {pod} = await engine.createPod(
    podSpec(name, [app('a', SLEEPER), app('b', SLEEPER, {files: [{path: '/tmp/x', content: 'x'}]})]),
  );
  t.is(pod.status, 'running');
  t.true(pod.containers.every((container) => container.status === 'running'));
});

test('44: a health check with timeout >= interval is refused before anything is created, with its path', async (t) => {
  const engine = await realEngine();
  const name = podName('c44');
  const error = await t.throwsAsync<EngineError>(
    engine.createPod(
      podSpec(name, [
        app('a', SLEEPER, {healthCheck: {type: 'tcp', port: 80, intervalSeconds: 2, timeoutSeconds: 2}}),
      ]),
    ),
  );
  t.is(error?.code, 'VALIDATION');
  t.true(JSON.stringify(error?.details).includes('containers[0].healthCheck.timeoutSeconds'));
  t.deepEqual(await podContainers(name), []);
});

test('45-47: grace period is "not decided" (not healthy); 404 is unhealthy; a quoted command is one argument', async (t) => {
  const engine = await realEngine();
  const name = podName('c45');
  // Roomy timings: an exec takes tens of milliseconds, much more on a daemon busy with other suites.
  const timing = {intervalSeconds: 2, timeoutSeconds: 1.5, consecutiveFailures: 1} as const;
  const grace = app('grace', 'httpd -p 80 -h /www && sleep 3600', {
    healthCheck: {type: 'http', port: 80, gracePeriodSeconds: 600, ...timing},
  });
  const missing = app('missing', SLEEPER, {
    healthCheck: {type: 'http', port: 80, path: '/no-such-page', gracePeriodSeconds: 0, ...timing},
  });
  const quoted = app('quoted', SLEEPER, {
    healthCheck: {type: 'command', command: 'sh -c "test 1 -eq 1"', gracePeriodSeconds: 0, ...timing},
  });
  await engine.createPod(podSpec(name, [grace, missing, quoted]));
  const view = await eventually(
    async () => {
      const current = await engine.getPod(name);
      const [, notFound, command] = current.containers;
      const saw404 = notFound?.health?.history.some((probe) => /404/.test(probe.output)) === true;
      return saw404 && notFound?.healthy === false && command?.healthy === true ? current : undefined;
    },
    30_000,
    '404 unhealthy and the command healthy',
  );
  t.is(view.containers[0]?.health?.status, 'starting');
  t.is(
    view.containers[0]?.healthy,
    null,
    'in its grace period a check has decided nothing (the seed said healthy)',
  );
  t.is(view.containers[0]?.health?.totalChecks, 0);
  // `test 1 -eq 1` ran as one sh -c argument; a probe may also have timed out on a busy daemon.
  t.true(view.containers[2]?.health?.history.some((probe) => probe.output === 'exit 0'));
  t.false(view.healthy);
  t.is(view.message, 'running, unhealthy: missing');
});

test('50-51: a second pod of the same name is refused; killing an unknown pod is NOT_FOUND; kill reports killed', async (t) => {
  const engine = await realEngine();
  const name = podName('c50');
  await engine.createPod(podSpec(name, [app('a', SLEEPER)]));
  t.is(
    (await t.throwsAsync<EngineError>(engine.createPod(podSpec(name, [app('a', SLEEPER)]))))?.code,
    'ALREADY_EXISTS',
  );
  t.is((await t.throwsAsync<EngineError>(engine.killPod(`${name}-nope`)))?.code, 'NOT_FOUND');
  const killed = await engine.killPod(name);
  t.is(killed.pod.status, 'killed', "killed, not the seed's finished");
});

test('53: network none has no pod IP; host network tells every member the node IP', async (t) => {
  const engine = await realEngine({nodeIp: '192.0.2.77'});
  const none = podName('c53n');
  const host = podName('c53h');
  const {pod: isolated} = await engine.createPod(
    podSpec(none, [app('a', SLEEPER)], {network: {driver: 'docker', name: 'none'}}),
  );
  t.is(isolated.ip, '');
  t.is(
    (await engine.exec(`${none}/a`, {cmd: ['sh', '-c', 'echo "[$BCS_CONTAINER_IP]"']})).stdout.trim(),
    '[]',
  );
  const {pod: onHost} = await engine.createPod(
    podSpec(host, [app('a', SLEEPER)], {network: {driver: 'docker', name: 'host'}}),
  );
  t.is(onHost.ip, '');
  t.is(
    (
      await engine.exec(`${host}/a`, {cmd: ['sh', '-c', 'echo $BCS_CONTAINER_IP $BCS_NODE_IP']})
    ).stdout.trim(),
    '192.0.2.77 192.0.2.77',
  );
  t.is(((await dockerInspect(onHost.id)).HostConfig as {NetworkMode: string}).NetworkMode, 'host');
});

test('58: extended resources map host devices into the container', async (t) => {
  const engine = await realEngine();
  const name = podName('c58');
  const {pod} = await engine.createPod(
    podSpec(name, [app('a', SLEEPER, {extendedResources: [{name: 'bkbcs/full', devices: ['/dev/full']}]})]),
  );
  t.is(pod.status, 'running', pod.message);
  const devices = ((await dockerInspect(pod.containers[0]?.id ?? '')).HostConfig as {Devices: unknown[]})
    .Devices;
  t.deepEqual(devices, [{PathOnHost: '/dev/full', PathInContainer: '/dev/full', CgroupPermissions: 'rwm'}]);
  const error = await t.throwsAsync<EngineError>(
    engine.createPod(
      podSpec(podName('c58s'), [
        app('a', SLEEPER, {
          extendedResources: [{name: 'gpu', socket: '/var/lib/kubelet/device-plugins/x.sock'}],
        }),
      ]),
    ),
  );
  t.is(error?.code, 'VALIDATION');
});
