/**
Health checks in the engine: one checker per container with a check, probing while it runs, paused while it
is paused; verdicts in the views and as `container:health`; the restart action on the threshold.
*/
import test from 'ava';
import type {HealthCheckEntrySpec} from '../../src/pod/spec-types.js';
import {app, eventually, fakeEngine, nextEvent, podName, podSpec} from '../support/pod-helpers.js';

function check(action: 'report' | 'restart'): HealthCheckEntrySpec {
  return {
    type: 'command',
    command: ['check-me'],
    intervalSeconds: 0.2,
    timeoutSeconds: 0.1,
    gracePeriodSeconds: 0,
    consecutiveFailures: 2,
    action,
  };
}

async function setUp(action: 'report' | 'restart') {
  const {runtime, engine} = fakeEngine();
  let healthy = true;
  let probes = 0;
  runtime.onExec((cmd) => {
    if (cmd[0] !== 'check-me') return undefined;
    probes++;
    return {exitCode: healthy ? 0 : 1, stdout: healthy ? 'ok' : 'bad'};
  });
  const name = podName('hc');
  const firstVerdict = nextEvent(
    engine,
    'container:health',
    (event) => event.pod === name && event.container.healthy === true,
  );
  const {pod} = await engine.createPod(
    podSpec(name, [app('web', 'sleep 100', {healthCheck: check(action)}), app('plain', 'sleep 100')]),
  );
  await firstVerdict;
  return {
    runtime,
    engine,
    name,
    id: pod.containers[0]?.id ?? '',
    setHealthy: (value: boolean) => {
      healthy = value;
    },
    probes: () => probes,
  };
}

test('a passing command check: healthy in the views, with history; waitPod healthy resolves', async (t) => {
  const {engine, name} = await setUp('report');
  t.teardown(() => engine.close());
  const view = await engine.waitPod(name, {condition: 'healthy', timeoutMs: 5000});
  t.true(view.healthy);
  const web = view.containers[0];
  t.true(web?.healthy);
  t.is(web?.health?.type, 'command');
  t.is(web?.health?.status, 'healthy');
  t.true((web?.health?.history.length ?? 0) >= 1);
  t.regex(web?.health?.history[0]?.output ?? '', /exit 0/);
  t.is(view.containers[1]?.health, null, 'no check, no checker');
  t.is(view.containers[1]?.healthy, null);
  t.is(view.message, 'running, all health checks pass');
});

test('the threshold with action restart restarts the container and starts the check over', async (t) => {
  const {runtime, engine, name, id, setHealthy} = await setUp('restart');
  t.teardown(() => engine.close());
  const unhealthy = nextEvent(
    engine,
    'container:health',
    (event) => event.container.id === id && event.container.healthy === false,
  );
  setHealthy(false);
  const event = await unhealthy;
  t.true(event.previous);
  await eventually(
    () => (runtime.callLog.includes(`restartContainer ${id}`) ? true : undefined),
    5000,
    'restarted',
  );
  await eventually(
    async () => ((await engine.getPod(name)).containers[0]?.restartCount === 1 ? true : undefined),
    5000,
    'counted',
  );
  t.true(engine.activity().some((entry) => /health check failed 2 times/.test(entry.message)));
  const healthyAgain = nextEvent(
    engine,
    'container:health',
    (change) => change.container.id === id && change.container.healthy === true,
  );
  setHealthy(true);
  await healthyAgain;
  t.true((await engine.getPod(name)).healthy);
});

test('action report only reports: unhealthy in the views, no restart', async (t) => {
  const {runtime, engine, name, id, setHealthy} = await setUp('report');
  t.teardown(() => engine.close());
  setHealthy(false);
  await eventually(
    async () => ((await engine.getPod(name)).healthy === false ? true : undefined),
    5000,
    'unhealthy',
  );
  await new Promise((resolve) => setTimeout(resolve, 600));
  t.false(runtime.callLog.includes(`restartContainer ${id}`));
  const view = await engine.getPod(name);
  t.is(view.status, 'running');
  t.is(view.message, 'running, unhealthy: web');
  t.true((view.containers[0]?.health?.consecutiveFailures ?? 0) >= 2);
});

test('a paused container is not probed; unpaused, probing resumes; stopped, it stops', async (t) => {
  const {runtime, engine, id, probes} = await setUp('report');
  t.teardown(() => engine.close());
  await runtime.pauseContainer(id);
  await eventually(
    async () => ((await engine.getContainer(id)).status === 'paused' ? true : undefined),
    5000,
    'paused',
  );
  const before = probes();
  await new Promise((resolve) => setTimeout(resolve, 600));
  t.is(probes(), before);
  await runtime.unpauseContainer(id);
  await eventually(() => (probes() > before ? true : undefined), 5000, 'probing again');
  await engine.stopContainer(id, {graceSeconds: 0});
  const stopped = probes();
  await new Promise((resolve) => setTimeout(resolve, 600));
  t.is(probes(), stopped);
});
