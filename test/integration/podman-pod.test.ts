/**
A pod on podman's Docker-compatible API (`podman system service`), through the same engine as on dockerd:
infra and apps share one network namespace, exec works, a deliberate stop is `killed`, remove leaves nothing.
Always against podman (`BCS_TEST_PODMAN_HOST`, else the set-up's socket); fails, never skips, without it.
*/
import test from 'ava';
import {LABELS, LOCAL_IMAGES} from '../../src/constants.js';
import {createEngine} from '../../src/engine/create-engine.js';
import type {Engine} from '../../src/engine/engine.js';
import {podmanRuntime} from '../support/docker.js';
import {app, nextEvent, podName, podSpec} from '../support/pod-helpers.js';
import {removeByRunId, runId, runLabelFilter} from '../support/run-id.js';

let engine: Engine | undefined;

async function podmanEngine(): Promise<Engine> {
  engine ??= createEngine({runtime: await podmanRuntime()});
  return engine;
}

test.after.always('close the engine and remove what the run left on podman', async () => {
  await engine?.close();
  await removeByRunId(await podmanRuntime());
});

test('podman: a 3-container pod shares the infra network namespace, runs, execs, stops killed and is removed', async (t) => {
  const runtime = await podmanRuntime();
  t.is((await runtime.version()).flavor, 'podman');
  const pods = await podmanEngine();
  const name = podName('podman');
  const {pod} = await pods.createPod(
    podSpec(name, [app('web'), app('side', 'sleep 3600'), app('logger', 'demo-logger 1')]),
    {wait: 'running', timeoutMs: 60_000},
  );
  t.is(pod.status, 'running');
  t.deepEqual(
    pod.containers.map((c) => c.status),
    ['running', 'running', 'running'],
  );
  t.regex(pod.ip, /^\d+\.\d+\.\d+\.\d+$/);

  // Docker's pod layout, as podman reports it through the compat API.
  const infra = await runtime.inspectContainer(pod.id);
  t.is(infra.image, LOCAL_IMAGES.pause);
  t.is(infra.host.ipcMode, 'shareable');
  t.true(infra.host.init);
  t.like(infra.labels, {[LABELS.pod]: name, [LABELS.role]: 'infra', [LABELS.testRun]: runId});
  t.is(infra.network.networks['bridge']?.ipAddress, pod.ip);
  for (const member of pod.containers) {
    const details = await runtime.inspectContainer(member.id);
    t.is(details.host.networkMode, `container:${pod.id}`);
    t.is(details.host.ipcMode, `container:${pod.id}`);
    t.is(details.image, LOCAL_IMAGES.demo);
  }

  // One app reaches another on 127.0.0.1: they share the infra's network namespace.
  const fetched = await pods.exec(`${name}/side`, {
    cmd: ['wget', '-qO-', 'http://127.0.0.1:80/'],
    timeoutMs: 10_000,
  });
  t.is(fetched.exitCode, 0, fetched.stderr);
  t.true(fetched.stdout.length > 0);
  const failed = await pods.exec(`${name}/side`, {cmd: ['sh', '-c', 'echo oops >&2; exit 4']});
  t.deepEqual([failed.exitCode, failed.stderr], [4, 'oops\n']);

  const {pod: stopped} = await pods.stopPod(name, {graceSeconds: 1});
  t.is(stopped.status, 'killed');
  t.true(stopped.containers.every((c) => c.status === 'exited'));
  t.is((await pods.getPod(name)).status, 'killed');

  const removed = await pods.removePod(name);
  t.true(removed.changed);
  t.is(removed.removedContainers.length, 4);
  t.deepEqual(await runtime.listContainers({labels: [runLabelFilter, `${LABELS.pod}=${name}`]}), []);
});

test('podman: a member killed behind the engine is seen through the event stream and fails the pod', async (t) => {
  const runtime = await podmanRuntime();
  const pods = await podmanEngine();
  const name = podName('podkill');
  const {pod} = await pods.createPod(podSpec(name, [app('a', 'sleep 3600'), app('b', 'sleep 3600')]), {
    wait: 'running',
    timeoutMs: 60_000,
  });
  const b = pod.containers[1]?.id ?? '';
  const failed = nextEvent(
    pods,
    'pod:status',
    (e) => e.pod.name === name && e.pod.status === 'failed',
    20_000,
  );
  const died = nextEvent(pods, 'container:status', (e) => e.container.id === b && e.action === 'die', 20_000);
  await runtime.killContainer(b);
  await died;
  t.is((await failed).pod.message, 'container b exited with 137');
  await pods.removePod(name, {force: true});
  t.deepEqual(await runtime.listContainers({labels: [runLabelFilter, `${LABELS.pod}=${name}`]}), []);
});
