/**
State lives only in Docker labels: a second engine (its own connection) sees and drives the pods of the first,
and a process killed in the middle of a create leaves nothing behind once the next engine starts.
*/
import {execFile} from 'node:child_process';
import test from 'ava';
import {LABELS} from '../../src/constants.js';
import {createEngine} from '../../src/engine/create-engine.js';
import {privateLease} from '../../src/engine/supervisor-lease.js';
import {DockerRuntime} from '../../src/runtime/docker/docker-runtime.js';
import {dockerCli} from '../support/container-helpers.js';
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

function podContainers(name: string): Promise<string[]> {
  return dockerCli(['ps', '-aq', '--filter', `label=${LABELS.pod}=${name}`]).then((out) =>
    out.split('\n').filter((line) => line !== ''),
  );
}

test('two engines: one creates, the other lists the same status, stops it, and the first sees it', async (t) => {
  const first = await realEngine();
  const second = createEngine({runtime: new DockerRuntime()});
  t.teardown(() => second.close());
  const name = podName('pair');
  const {pod} = await first.createPod(
    podSpec(name, [app('a', 'sleep 3600'), app('b', 'sleep 3600')], {restartPolicy: 'Always'}),
  );
  // The second engine answers from what its event stream told it: the last events may still be on their way.
  const seen = await eventually(
    async () => {
      const found = (await second.listPods()).find((entry) => entry.name === name);
      return found?.status === 'running' && found.containers.every((c) => c.status === 'running')
        ? found
        : undefined;
    },
    20_000,
    'the second engine sees the pod running',
  );
  t.truthy(seen);
  t.is(seen?.status, 'running');
  t.is(seen?.id, pod.id);
  t.is(seen?.specHash, pod.specHash);
  t.deepEqual(
    seen?.containers.map((container) => container.id),
    pod.containers.map((container) => container.id),
  );
  t.deepEqual(await second.getPodSpec(name), await first.getPodSpec(name));

  const killed = nextEvent(
    first,
    'pod:status',
    (event) => event.pod.name === name && event.pod.status === 'killed',
    20_000,
  );
  const stopped = await second.stopPod(name);
  t.is(stopped.pod.status, 'killed');
  await killed;
  // The first engine must not bring back what the second stopped on purpose (restart policy Always).
  await new Promise((resolve) => setTimeout(resolve, 2500));
  t.is((await first.getPod(name)).status, 'killed');

  const removed = nextEvent(first, 'pod:removed', (event) => event.name === name, 20_000);
  await second.removePod(name);
  t.is((await removed).id, pod.id);
  t.deepEqual(await podContainers(name), []);
});

test('a process SIGKILLed in the middle of createPod: the next engine start rolls the pod back, no orphans', async (t) => {
  const name = podName('crash');
  const exit = await new Promise<{code: number | null; signal: string | null; stderr: string}>((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import=tsx', 'test/support/crash-create.ts', name, runId, 'c'],
      {timeout: 60_000},
      (_error, _stdout, stderr) => resolve({code: child.exitCode, signal: child.signalCode, stderr}),
    );
  });
  t.is(exit.signal, 'SIGKILL', exit.stderr);
  const left = await podContainers(name);
  t.is(left.length, 4, 'infra, a and b started, c created: a half-made pod');

  // A new engine (the shared one of this process started before the crash): its start applies the crash rule.
  // Only a supervisor does, and another engine on the host may hold the endpoint's lease: this one acts anyway.
  const engine = await realEngine({reconcileOnStart: true, supervisorLease: privateLease()});
  t.teardown(() => engine.close());
  await engine.waitPod(name, {condition: 'removed', timeoutMs: 20_000});
  t.deepEqual(await podContainers(name), [], 'zero orphans');
  await eventually(() => (engine.activity().length > 0 ? true : undefined), 1000, 'activity');
  t.log(
    engine
      .activity()
      .filter((entry) => entry.pod === name)
      .map((entry) => entry.message),
  );
});
