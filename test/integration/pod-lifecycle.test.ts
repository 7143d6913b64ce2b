/**
Pods on the real dockerd: the shared namespaces, what `docker inspect` shows, and what happens when a member
is killed, OOM-killed or removed behind the engine's back.
*/
import test from 'ava';
import {LABELS, LOCAL_IMAGES} from '../../src/constants.js';
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

test('a 3-container pod shares one network namespace; docker inspect shows the labels and modes', async (t) => {
  const engine = await realEngine();
  const name = podName('trio');
  const {pod} = await engine.createPod(
    podSpec(name, [app('web'), app('side', SLEEPER), app('logger', 'demo-logger 1')], {
      labels: {team: 'demo'},
    }),
    {wait: 'running', timeoutMs: 20_000},
  );
  t.is(pod.status, 'running');
  t.is(pod.containers.length, 3);
  t.regex(pod.ip, /^\d+\.\d+\.\d+\.\d+$/);
  // One container reaches another on 127.0.0.1: they share the infra's network namespace.
  const fetched = await engine.exec(`${name}/side`, {
    cmd: ['wget', '-qO-', 'http://127.0.0.1:80/'],
    timeoutMs: 10_000,
  });
  t.is(fetched.exitCode, 0, fetched.stderr);
  t.true(fetched.stdout.length > 0);

  const infra = await dockerInspect(pod.id);
  const infraHost = infra.HostConfig as {NetworkMode: string; IpcMode: string; Init: boolean};
  t.is(infraHost.IpcMode, 'shareable');
  t.true(infraHost.Init);
  t.is((infra.Config as {Image: string}).Image, LOCAL_IMAGES.pause);
  const infraLabels = (infra.Config as {Labels: Record<string, string>}).Labels;
  t.like(infraLabels, {
    [LABELS.managed]: '1',
    [LABELS.pod]: name,
    [LABELS.role]: 'infra',
    [LABELS.testRun]: runId,
    team: 'demo',
    'dev.bcs-executor.containers': '3',
  });
  t.is(JSON.parse(infraLabels[LABELS.spec] ?? '{}').name, name);
  for (const [index, member] of pod.containers.entries()) {
    const details = await dockerInspect(member.id);
    const host = details.HostConfig as {NetworkMode: string; IpcMode: string};
    t.is(host.NetworkMode, `container:${pod.id}`);
    t.is(host.IpcMode, `container:${pod.id}`);
    const labels = (details.Config as {Labels: Record<string, string>}).Labels;
    t.like(labels, {
      [LABELS.pod]: name,
      [LABELS.role]: 'app',
      [LABELS.order]: String(index),
      [LABELS.testRun]: runId,
      team: 'demo',
    });
    const env = (details.Config as {Env: string[]}).Env;
    t.true(env.includes(`BCS_CONTAINER_IP=${pod.ip}`), 'every member gets the pod IP');
    t.true(env.includes(`BCS_POD_ID=${name}`));
  }
});

test('docker kill of a member under Never: the pod turns failed, the others stop, the engine says so fast', async (t) => {
  const engine = await realEngine();
  const name = podName('never');
  const {pod} = await engine.createPod(podSpec(name, [app('a', SLEEPER), app('b', SLEEPER)]));
  const b = pod.containers[1]?.id ?? '';
  const failed = nextEvent(
    engine,
    'pod:status',
    (event) => event.pod.name === name && event.pod.status === 'failed',
    15_000,
  );
  const died = nextEvent(
    engine,
    'container:status',
    (event) => event.container.id === b && event.action === 'die',
    15_000,
  );
  const killedAt = performance.now();
  await dockerCli(['kill', b]);
  await died;
  const latencyMs = performance.now() - killedAt;
  t.log(`docker kill → container:status in ${latencyMs.toFixed(1)} ms (including the CLI)`);
  t.true(latencyMs < 2000);
  const {pod: view} = await failed;
  t.is(view.message, 'container b exited with 137');
  await eventually(
    async () => ((await engine.getPod(name)).containers[0]?.status === 'exited' ? true : undefined),
    15_000,
    'a stopped',
  );
  t.is((await engine.getPod(name)).infra.status, 'running', 'the infra stays for inspection');
});

test('docker kill of a member under Always: the engine restarts it and counts it', async (t) => {
  const engine = await realEngine();
  const name = podName('always');
  const {pod} = await engine.createPod(
    podSpec(name, [app('a', SLEEPER), app('b', SLEEPER)], {restartPolicy: 'Always'}),
  );
  const a = pod.containers[0]?.id ?? '';
  const firstRun = (await dockerInspect(a)).State as {StartedAt: string};
  await dockerCli(['kill', a]);
  // A new run of `a`, seen by Docker and by the engine. (Not one `exited -> running` event: on a loaded host the
  // inspect for the `die` may come after the restart, and the engine then sees only the new run.)
  const view = await eventually(
    async () => {
      const state = (await dockerInspect(a)).State as {Running: boolean; StartedAt: string};
      if (!state.Running || state.StartedAt === firstRun.StartedAt) return undefined;
      const current = await engine.getPod(name);
      return current.containers[0]?.status === 'running' && current.status === 'running'
        ? current
        : undefined;
    },
    20_000,
    'a restarted',
  ).catch(async (error: unknown) => {
    // Who supervised, and what this engine saw and did: the restart may be another process's to make.
    t.log(`this engine: ${engine.connection().supervisor}`);
    t.log(engine.activity().map((entry) => `${entry.at} ${entry.pod ?? ''} ${entry.message}`));
    t.log(JSON.stringify((await dockerInspect(a)).State));
    throw error;
  });
  t.is(view.status, 'running');
  t.is(
    (await dockerInspect(a)).RestartCount,
    0,
    'Docker restarts nothing after a docker kill: the engine did',
  );
  // Every engine process watching restarts it (the first one wins); each counts only its own restarts.
  const mine = engine.activity().some((entry) => entry.message === `restarted ${name}/a after exit 137`);
  t.is(view.containers[0]?.restartCount, mine ? 1 : 0);
});

test('OOM under a memory limit: oomKilled and exit 137', async (t) => {
  const engine = await realEngine();
  const name = podName('oom');
  const failed = nextEvent(
    engine,
    'pod:status',
    (event) => event.pod.name === name && event.pod.status === 'failed',
    20_000,
  );
  await engine.createPod(
    podSpec(name, [
      app('hog', undefined, {
        command: 'sh',
        args: ['-c', 'sleep 2; tail /dev/zero; code=$?; sleep 1; exit $code'],
        limits: {memMB: 8},
      }),
    ]),
  );
  await failed;
  // `tail` keeps its never-ending last line in memory: it is the OOM killer's victim, and the shell exits with
  // its status (137) a second later. Both pauses matter on a loaded host: containerd learns of an OOM kill
  // through an eventfd it registers on the cgroup after the task started (cgroup v1 here), and an OOM before
  // that, or a cgroup gone before it reads it, leaves Docker with neither the flag nor an `oom` event. The flag
  // may still follow the failure by a moment.
  const pod = await eventually(
    async () => {
      const current = await engine.getPod(name);
      return current.containers[0]?.oomKilled === true ? current : undefined;
    },
    10_000,
    'oomKilled reported',
  );
  t.is(pod.status, 'failed');
  t.is(pod.containers[0]?.exitCode, 137);
  t.is(pod.message, 'container hog exited with 137 (OOM killed)');
  const details = await dockerInspect(pod.containers[0]?.id ?? '');
  t.true((details.State as {OOMKilled: boolean}).OOMKilled);
});

test('docker rm -f of a member out of band is noticed: failed, "was removed"', async (t) => {
  const engine = await realEngine();
  const name = podName('rmf');
  const {pod} = await engine.createPod(podSpec(name, [app('a', SLEEPER), app('b', SLEEPER)]));
  const failed = nextEvent(
    engine,
    'pod:status',
    (event) => event.pod.name === name && event.pod.status === 'failed',
    15_000,
  );
  await dockerCli(['rm', '-f', pod.containers[1]?.id ?? '']);
  await failed;
  // Docker says `die` (137) first, then `destroy`: the pod stays failed and its reason becomes the removal.
  const view = await eventually(
    async () => {
      const current = await engine.getPod(name);
      return current.message === 'container b was removed' ? current : undefined;
    },
    15_000,
    'the removal noticed',
  );
  t.is(view.status, 'failed');
  t.is(view.containers[1]?.status, 'missing');
  const removed = await engine.removePod(name);
  t.deepEqual([...removed.removedContainers].sort(), [`${name}-a`, `${name}-infra`]);
});

test('an http health check turns unhealthy when httpd is killed, and healthy when it is back', async (t) => {
  const engine = await realEngine();
  const name = podName('health');
  const healthCheck = {
    type: 'http',
    port: 80,
    path: '/',
    intervalSeconds: 1,
    timeoutSeconds: 0.5,
    gracePeriodSeconds: 0,
    consecutiveFailures: 2,
  } as const;
  // httpd daemonizes; the shell stays as PID 1, so killing httpd leaves the container running.
  const web = app('web', 'httpd -p 80 -h /www && sleep 3600', {healthCheck});
  const healthy = nextEvent(
    engine,
    'container:health',
    (event) => event.pod === name && event.container.healthy === true,
    20_000,
  );
  await engine.createPod(podSpec(name, [web]));
  await healthy;
  t.true((await engine.getPod(name)).healthy);
  const unhealthy = nextEvent(
    engine,
    'container:health',
    (event) => event.pod === name && event.container.healthy === false,
    20_000,
  );
  t.is((await engine.exec(`${name}/web`, {cmd: ['killall', 'httpd']})).exitCode, 0);
  const down = await unhealthy;
  t.is(down.previous, true);
  t.is(down.container.status, 'running');
  const view = await engine.getPod(name);
  t.false(view.healthy);
  t.is(view.status, 'running');
  t.false(view.containers[0]?.health?.history.at(-1)?.ok);
  const again = nextEvent(
    engine,
    'container:health',
    (event) => event.pod === name && event.container.healthy === true,
    20_000,
  );
  t.is((await engine.exec(`${name}/web`, {cmd: ['httpd', '-p', '80', '-h', '/www']})).exitCode, 0);
  await again;
  t.true((await engine.getPod(name)).healthy);
});
