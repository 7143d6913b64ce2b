import test, {type ExecutionContext} from 'ava';
import {commit} from '../../src/engine/io/commit.js';
import {execInteractive} from '../../src/engine/io/exec.js';
import {inspectImage, pullImage, removeImage} from '../../src/engine/io/images.js';
import {updateContainer} from '../../src/engine/io/update-container.js';
import {upload} from '../../src/engine/io/upload.js';
import {isEngineError, type ErrorCode} from '../../src/errors.js';
import type {ContainerDetails, ImageDetails, ResourceUpdate} from '../../src/runtime/port.js';
import {container, stubDeps, stubRuntime} from './engine-io-stubs.js';

const app = container('app');

function image(id: string): ImageDetails {
  return {id} as ImageDetails;
}

async function failsWith(t: ExecutionContext, work: Promise<unknown>, code: ErrorCode): Promise<string> {
  const error = await t.throwsAsync(work);
  t.true(isEngineError(error) && error.code === code, String(error));
  return error?.message ?? '';
}

test('pull: changed when the reference names a new image, or was absent', async (t) => {
  const pulled: string[] = [];
  let current: ImageDetails | null = image('sha256:old');
  // What the registry has: a pull makes the local reference name it.
  let upstream = image('sha256:old');
  const runtime = stubRuntime({
    inspectImage: () => Promise.resolve(current),
    pullImage: (ref: string) => {
      pulled.push(ref);
      current = upstream;
      return Promise.resolve();
    },
  });
  const deps = stubDeps(runtime, [app]);
  t.deepEqual(await pullImage(deps, 'nginx'), {changed: false});
  t.deepEqual(pulled, ['docker.io/library/nginx:latest']);
  upstream = image('sha256:new');
  t.deepEqual(await pullImage(deps, 'nginx:1.25'), {changed: true});
  current = null;
  t.deepEqual(await pullImage(deps, 'nginx:1.25'), {changed: true});
  await failsWith(t, pullImage(deps, 'Not A Ref'), 'VALIDATION');
  t.is(pulled.length, 3);
});

test('inspect of an absent image is NOT_FOUND; remove passes the runtime answer', async (t) => {
  const runtime = stubRuntime({
    inspectImage: () => Promise.resolve(null),
    removeImage: (_ref: string, options?: {readonly force?: boolean}) =>
      Promise.resolve({changed: options?.force === true}),
  });
  const deps = stubDeps(runtime, [app]);
  t.regex(await failsWith(t, inspectImage(deps, 'absent:1'), 'NOT_FOUND'), /absent:1/);
  t.deepEqual(await removeImage(deps, 'x:1'), {changed: false});
  t.deepEqual(await removeImage(deps, 'x:1', {force: true}), {changed: true});
});

test('update: validated before Docker, unchanged settings send nothing', async (t) => {
  const updates: ResourceUpdate[] = [];
  const host = {
    cpuShares: 0,
    cpuPeriod: 100_000,
    cpuQuota: 50_000,
    memory: 64 * 1024 * 1024,
    memorySwap: 64 * 1024 * 1024,
  };
  const runtime = stubRuntime({
    inspectContainer: () => Promise.resolve({host} as unknown as ContainerDetails),
    updateContainer: (_id: string, update: ResourceUpdate) => {
      updates.push(update);
      return Promise.resolve({warnings: []});
    },
  });
  const deps = stubDeps(runtime, [app]);
  t.deepEqual(await updateContainer(deps, 'app', {cpu: 0.5, mem: 64}), {changed: false});
  t.deepEqual(await updateContainer(deps, 'app', {cpu: 1, mem: 64}), {changed: true});
  t.like(updates[0], {cpuQuota: 100_000, cpuPeriod: 100_000});
  await failsWith(t, updateContainer(deps, 'app', {mem: 1}), 'VALIDATION');
  t.is(updates.length, 1);
});

test('upload: exactly one of source and content; mode only with content', async (t) => {
  const deps = stubDeps(stubRuntime({}), [app]);
  await failsWith(t, upload(deps, 'app', {dest: '/tmp/x'}), 'VALIDATION');
  await failsWith(
    t,
    upload(deps, 'app', {dest: '/tmp/x', content: 'a', source: '/etc/hostname'}),
    'VALIDATION',
  );
  t.regex(
    await failsWith(t, upload(deps, 'app', {dest: '/tmp/x', source: '/etc', mode: 0o600}), 'VALIDATION'),
    /mode/,
  );
  await failsWith(t, upload(deps, 'app', {dest: '/', content: 'a'}), 'VALIDATION');
});

test('upload of content puts a tar at the parent directory', async (t) => {
  const puts: {id: string; path: string; size: number}[] = [];
  const runtime = stubRuntime({
    putArchive: (id: string, path: string, tar: Buffer | NodeJS.ReadableStream) => {
      puts.push({id, path, size: Buffer.isBuffer(tar) ? tar.length : -1});
      return Promise.resolve();
    },
  });
  t.deepEqual(
    await upload(stubDeps(runtime, [app]), 'app', {dest: '/etc/app/conf.yaml', content: 'a: 1\n'}),
    {
      changed: true,
    },
  );
  t.is(puts[0]?.id, 'id-app');
  t.is(puts[0]?.path, '/etc/app');
  t.true((puts[0]?.size ?? 0) >= 1024);
});

test('commit: changed unless the tag already named the same image', async (t) => {
  let existing: ImageDetails | null = null;
  const commits: unknown[] = [];
  const runtime = stubRuntime({
    inspectImage: () => Promise.resolve(existing),
    commitContainer: (_id: string, options?: unknown) => {
      commits.push(options);
      return Promise.resolve({imageId: 'sha256:abc'});
    },
  });
  const deps = stubDeps(runtime, [app]);
  t.deepEqual(await commit(deps, 'app', {image: 'registry.local:5000/team/app'}), {
    imageId: 'sha256:abc',
    changed: true,
  });
  t.like(commits[0], {repo: 'registry.local:5000/team/app', tag: 'latest'});
  existing = image('sha256:abc');
  t.deepEqual(await commit(deps, 'app', {image: 'team/app:v2'}), {imageId: 'sha256:abc', changed: false});
  await failsWith(t, commit(deps, 'app', {image: 'no spaces allowed'}), 'VALIDATION');
});

test('interactive exec checks its command and size before Docker', async (t) => {
  const deps = stubDeps(stubRuntime({}), [app]);
  const message = await failsWith(
    t,
    execInteractive(deps, 'app', {cmd: [''], rows: 0, cols: 70_000}),
    'VALIDATION',
  );
  t.regex(message, /cmd[\s\S]*rows[\s\S]*cols/);
});
