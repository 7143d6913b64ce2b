/** Refs: pods by name or infra id (prefix), containers by id (prefix), Docker name or POD/CONTAINER. */
import test from 'ava';
import type {EngineError} from '../../src/errors.js';
import {ContainerCache} from '../../src/engine/container-cache.js';
import {createEngine} from '../../src/engine/create-engine.js';
import {resolveMember, resolvePodName} from '../../src/engine/refs.js';
import {appLabels, infraLabels, POD_LABELS} from '../../src/pod/labels.js';
import {LABELS} from '../../src/constants.js';
import type {ContainerRuntime} from '../../src/runtime/port.js';
import {app, fakeEngine, fakeRuntime, podName, podSpec} from '../support/pod-helpers.js';

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'resolved';
  } catch (error) {
    return (error as EngineError).code;
  }
}

test('a pod by its name, its infra id, or a unique prefix of 4+ characters', async (t) => {
  const {engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('ref');
  const {pod} = await engine.createPod(podSpec(name, [app('web'), app('side', 'sleep 100')]));
  t.is((await engine.getPod(name)).id, pod.id);
  t.is((await engine.getPod(pod.id)).name, name);
  t.is((await engine.getPod(pod.id.slice(0, 6))).name, name);
  t.is(await codeOf(engine.getPod(pod.id.slice(0, 3))), 'NOT_FOUND', 'too short a prefix');
  t.is(await codeOf(engine.getPod('no-such-pod')), 'NOT_FOUND');
  t.is(await codeOf(engine.getPod(pod.containers[0]?.id ?? '')), 'NOT_FOUND', 'an app id is not a pod ref');
});

test('a container by id, id prefix, Docker name, POD/CONTAINER and POD/infra', async (t) => {
  const {engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('ref');
  const {pod} = await engine.createPod(podSpec(name, [app('web'), app('side', 'sleep 100')]));
  const side = pod.containers[1];
  if (side === undefined) return t.fail();
  for (const ref of [side.id, side.id.slice(0, 8), side.dockerName, `/${side.dockerName}`, `${name}/side`]) {
    t.is((await engine.getContainer(ref)).id, side.id, ref);
  }
  t.is((await engine.getContainer(`${name}/infra`)).role, 'infra');
  t.is(await codeOf(engine.getContainer(`${name}/nope`)), 'NOT_FOUND');
  t.is(await codeOf(engine.getContainer('nope')), 'NOT_FOUND');
  const containers = await engine.listContainers({pod: name});
  t.deepEqual(
    containers.map((container) => container.name),
    ['infra', 'web', 'side'],
  );
});

test('an id prefix matching two containers (or pods) is refused as ambiguous', async (t) => {
  const runtime = fakeRuntime();
  const spec = (pod: string, role: 'infra' | 'app') => ({
    name: `${pod}-${role}`,
    image: 'bcs-executor/demo:local',
    labels:
      role === 'infra'
        ? infraLabels({
            pod,
            specHash: '',
            specJson: '',
            containers: 0,
            creator: '',
            createdAt: 0,
            autostart: true,
          })
        : appLabels({pod, specHash: '', container: 'a', order: 0}),
    host: {},
  });
  const real = new Map<string, string>();
  const forged = ['abcd1111' + '0'.repeat(56), 'abcd2222' + '0'.repeat(56)];
  for (const [index, pod] of ['p1', 'p2'].entries()) {
    const {id} = await runtime.createContainer(spec(pod, 'infra'));
    real.set(forged[index] ?? '', id);
  }
  // The same containers, seen under ids that share a prefix.
  const stub = {
    inspectContainer: async (id: string) => ({...(await runtime.inspectContainer(real.get(id) ?? id)), id}),
  } as unknown as ContainerRuntime;
  const cache = new ContainerCache(stub, () => undefined);
  for (const id of forged) await cache.refresh(id, 'reconcile');
  const error = t.throws<EngineError>(() => resolveMember(cache, 'abcd'));
  t.is(error?.code, 'VALIDATION');
  t.deepEqual(error?.details.matches, ['p1-infra', 'p2-infra']);
  t.is(resolveMember(cache, 'abcd1').member.pod, 'p1');
  t.is(t.throws<EngineError>(() => resolvePodName(cache, 'abcd'))?.code, 'VALIDATION');
  t.is(resolvePodName(cache, 'abcd2'), 'p2');
  t.is(resolvePodName(cache, 'p1'), 'p1');
});

test('inspectContainer masks secret env values; the pod spec is stored masked', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('sec');
  await engine.createPod(
    podSpec(name, [
      app('a', 'sleep 100', {
        env: [
          {key: 'TOKEN', value: 's3cret', secret: true},
          {key: 'COPY', value: '$TOKEN'},
          {key: 'PLAIN', value: 'x'},
        ],
      }),
    ]),
  );
  const details = await engine.inspectContainer(`${name}/a`);
  t.true(details.config.env.includes('TOKEN=***'));
  t.true(details.config.env.includes('COPY=***'));
  t.true(details.config.env.includes('PLAIN=x'));
  const raw = await runtime.inspectContainer(details.id);
  t.true(raw.config.env.includes('TOKEN=s3cret'), "Docker keeps the value in the container's env");
  const spec = await engine.getPodSpec(name);
  t.is(spec.containers[0]?.env?.[0]?.value, '***');
  const infra = await runtime.inspectContainer((await engine.getPod(name)).id);
  t.false(JSON.stringify(infra.labels).includes('s3cret'), 'no secret in any label');
  const bcs = await engine.inspectContainerBcs(`${name}/a`);
  t.is(bcs.nodeAddress, '192.0.2.10');
  t.regex(bcs.ipAddress, /^172\./);
});

test('with no spec recorded (the infra went before this engine started), what the app recorded is masked', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('nospec');
  const {pod} = await engine.createPod(
    podSpec(name, [
      app('a', 'sleep 100', {
        env: [
          {key: 'TOKEN', value: 's3cret', secret: true},
          {key: 'COPY', value: '$TOKEN'},
          {key: 'PLAIN', value: 'x'},
        ],
      }),
    ]),
  );
  const appId = pod.containers[0]?.id ?? '';
  const raw = await runtime.inspectContainer(appId);
  t.is(raw.labels[POD_LABELS.secretEnv], '["COPY","TOKEN"]', 'names only, never values');
  runtime.simulateRemove(pod.id);
  const later = createEngine({runtime, nodeIp: '192.0.2.10'});
  t.teardown(() => later.close());
  const env = (await later.inspectContainer(`${name}/a`)).config.env;
  t.true(env.includes('TOKEN=***') && env.includes('COPY=***'), env.join(' '));
  t.true(env.includes('PLAIN=x'));
  const {imageId} = await later.commit(`${name}/a`, {image: 'bcs-executor-test/nospec:v1'});
  const committed = (await runtime.inspectImage(imageId))?.config.env ?? [];
  t.true(committed.includes('TOKEN=') && committed.includes('COPY='), committed.join(' '));
  t.false(committed.join(' ').includes('s3cret'));
});

test('a member that recorded nothing (an older build) and whose spec is unknown shows no value', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('norecord');
  const {pod} = await engine.createPod(
    podSpec(name, [app('a', 'sleep 100', {env: [{key: 'PLAIN', value: 'x'}]})]),
  );
  const raw = await runtime.inspectContainer(pod.containers[0]?.id ?? '');
  const {[POD_LABELS.secretEnv]: _recorded, ...olderLabels} = raw.labels;
  const {id} = await runtime.createContainer({
    name: `${name}-old`,
    image: raw.image,
    env: [...raw.config.env],
    labels: {...olderLabels, [LABELS.container]: 'old', [LABELS.order]: '1'},
    host: {},
  });
  runtime.simulateRemove(pod.id);
  const later = createEngine({runtime, nodeIp: '192.0.2.10'});
  t.teardown(() => later.close());
  const env = (await later.inspectContainer(id)).config.env;
  t.true(env.length > 0);
  t.true(
    env.every((entry) => entry.endsWith('=***')),
    env.join(' '),
  );
});
