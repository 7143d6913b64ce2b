/** Pod operations through the engine over the fake: files, apply, start/stop/kill/restart/remove, wait, resources. */
import test from 'ava';
import {extract} from 'tar-stream';
import {Readable} from 'node:stream';
import type {EngineError} from '../../src/errors.js';
import {uploadFile} from '../../src/pod/upload-files.js';
import type {ContainerRuntime} from '../../src/runtime/port.js';
import {app, fakeEngine, podName, podSpec} from '../support/pod-helpers.js';

test('files are written before the first start, with their mode, missing directories made', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('files');
  const files = [
    {path: '/etc/app/conf.d/x.conf', content: 'x=1\n', mode: '0600'},
    {path: '/tmp/bin.dat', base64: Buffer.from([0, 1, 2]).toString('base64')},
  ];
  const {pod} = await engine.createPod(podSpec(name, [app('a', 'sleep 100', {files})]));
  const id = pod.containers[0]?.id ?? '';
  const order = runtime.callLog.filter(
    (entry) => entry === `putArchive ${id}` || entry === `startContainer ${id}`,
  );
  t.deepEqual(order, [`putArchive ${id}`, `putArchive ${id}`, `startContainer ${id}`]);
  const cat = await engine.exec(id, {cmd: ['cat', '/etc/app/conf.d/x.conf']});
  t.is(cat.stdout, 'x=1\n');
  t.is((await runtime.statPath(id, '/etc/app/conf.d/x.conf')).mode & 0o777, 0o600);
  t.is((await runtime.statPath(id, '/tmp/bin.dat')).mode & 0o777, 0o644);
});

test('a file owner goes into the tar as uid and gid; names are refused', async (t) => {
  const tars: Buffer[] = [];
  const stub = {
    statPath: () => Promise.resolve({name: 'etc', size: 0, mode: 0o755, mtime: '', linkTarget: ''}),
    putArchive: (_id: string, _path: string, tar: Buffer) => {
      tars.push(tar);
      return Promise.resolve();
    },
  } as unknown as ContainerRuntime;
  await uploadFile(stub, 'c', {
    to: '/etc/x',
    base64: Buffer.from('hi').toString('base64'),
    mode: '0640',
    user: '1000:2000',
  });
  const headers: {name: string; uid?: number; gid?: number; mode?: number}[] = [];
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    headers.push(header);
    stream.resume();
    stream.on('end', next);
  });
  await new Promise<void>((resolve) => {
    reader.on('finish', () => resolve());
    Readable.from(tars).pipe(reader);
  });
  t.like(headers[0], {name: 'x', uid: 1000, gid: 2000, mode: 0o640});
  await t.throwsAsync(uploadFile(stub, 'c', {to: '/etc/x', base64: '', user: 'nobody'}), {
    message: /not uid or uid:gid/,
  });
});

test('applyPod: created, then unchanged for the same spec, recreated when it changes', async (t) => {
  const {engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('apply');
  const spec = podSpec(name, [app('a', 'sleep 100')]);
  const first = await engine.applyPod(spec);
  t.is(first.action, 'created');
  const same = await engine.applyPod({...spec, containers: [{...spec.containers[0]!, env: []}]});
  t.is(same.action, 'unchanged', 'an empty list means none: same hash');
  t.false(same.changed);
  const changed = await engine.applyPod({...spec, containers: [app('a', 'sleep 200')]});
  t.is(changed.action, 'recreated');
  t.not(changed.pod.id, first.pod.id);
  t.not(changed.pod.specHash, first.pod.specHash);
});

test('stop, start, restart, kill and remove', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('ops');
  const statuses: string[] = [];
  engine.on('pod:status', (event) => {
    if (event.pod.name === name) statuses.push(event.pod.status);
  });
  await engine.createPod(podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100')]));
  t.is((await engine.stopPod(name)).pod.status, 'killed');
  t.is((await engine.startPod(name)).pod.status, 'running');
  const restarted = await engine.restartPod(name);
  t.true(restarted.changed);
  t.is(restarted.pod.status, 'running');
  const signalled = await engine.killPod(name, {killSignal: 'SIGHUP'});
  t.true(signalled.changed, 'a non-fatal signal is only delivered');
  const killed = await engine.killPod(name);
  t.is(killed.pod.status, 'killed');
  t.true(statuses.includes('killing'), 'the stop shows as killing while it runs');
  const removed = await engine.removePod(name);
  t.true(removed.changed);
  t.deepEqual([...removed.removedContainers].sort(), [`${name}-a`, `${name}-b`, `${name}-infra`].sort());
  t.deepEqual(runtime.containerIds(), []);
  t.deepEqual(await engine.removePod(name), {changed: false, name, removedContainers: []});
  t.is((await engine.waitPod(name, {condition: 'removed', timeoutMs: 1000})).name, name);
});

test('waitPod: TIMEOUT past the deadline, CANCELLED on abort, INVALID_STATE once the pod ended', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('wait');
  const {pod} = await engine.createPod(podSpec(name, [app('a', 'sleep 100')]));
  const timeout = await t.throwsAsync<EngineError>(
    engine.waitPod(name, {condition: 'exited', timeoutMs: 50}),
  );
  t.is(timeout?.code, 'TIMEOUT');
  const controller = new AbortController();
  const waiting = engine.waitPod(name, {condition: 'exited', signal: controller.signal});
  controller.abort();
  t.is((await t.throwsAsync<EngineError>(waiting))?.code, 'CANCELLED');
  const exited = engine.waitPod(name, {condition: 'status', statuses: ['failed']});
  runtime.simulateExit(pod.containers[0]?.id ?? '', 9);
  t.is((await exited).status, 'failed');
  t.is(
    (await t.throwsAsync<EngineError>(engine.waitPod(name, {condition: 'running'})))?.code,
    'INVALID_STATE',
  );
});

test('updatePodResources updates every app, or the one named', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('res');
  const {pod} = await engine.createPod(podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100')]));
  await engine.updatePodResources(name, {mem: 64});
  for (const container of pod.containers)
    t.is((await runtime.inspectContainer(container.id)).host.memory, 64 * 1024 * 1024);
  await engine.updatePodResources(name, {mem: 32, container: 'b'});
  t.is((await runtime.inspectContainer(pod.containers[0]?.id ?? '')).host.memory, 64 * 1024 * 1024);
  t.is((await runtime.inspectContainer(pod.containers[1]?.id ?? '')).host.memory, 32 * 1024 * 1024);
  t.is(
    (await t.throwsAsync<EngineError>(engine.updatePodResources(name, {mem: 32, container: 'zz'})))?.code,
    'NOT_FOUND',
  );
  t.is((await t.throwsAsync<EngineError>(engine.updatePodResources(name, {mem: 2})))?.code, 'VALIDATION');
});
