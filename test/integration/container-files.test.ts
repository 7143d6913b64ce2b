/** uploadToContainer and uploadContent against the real dockerd (seed cases 33, 34). */
import {chmod, chown, mkdir, mkdtemp, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {execCommand} from '../../src/container/exec-command.js';
import {EngineError} from '../../src/errors.js';
import type {ContainerRuntime} from '../../src/runtime/port.js';
import {realContainer, sleeperTask, startedSleeper} from '../support/container-helpers.js';
import {realRuntime} from '../support/docker.js';
import {removeByRunId} from '../support/run-id.js';

test.after.always(async () => {
  await removeByRunId(await realRuntime());
});

async function scratch(t: {teardown: (fn: () => Promise<void>) => void}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bcs-upload-it-'));
  t.teardown(() => rm(dir, {recursive: true, force: true}));
  return dir;
}

async function sh(runtime: ContainerRuntime, id: string, script: string): Promise<string> {
  const result = await execCommand(runtime, id, {cmd: ['sh', '-c', script], timeoutMs: 10_000});
  return result.stdout + result.stderr;
}

test('a host file lands at dest with its content, mode and host owner (seed case 34)', async (t) => {
  const {container, runtime} = await realContainer();
  const dir = await scratch(t);
  const source = join(dir, 'some-other-name.conf');
  await writeFile(source, 'key=value\n');
  await chmod(source, 0o640);
  await chown(source, 1234, 2345);
  const info = await startedSleeper(container);
  await container.uploadToContainer(info.id, source, '/etc/app.conf');
  t.is(
    await sh(runtime, info.id, 'cat /etc/app.conf; stat -c "%a %u %g" /etc/app.conf'),
    'key=value\n640 1234 2345\n',
  );
  // Nothing was written next to the source (the seed left <source>.tar there).
  t.deepEqual(await readdir(dir), ['some-other-name.conf']);
});

test('the owner can be given instead of the host one', async (t) => {
  const {container, runtime} = await realContainer();
  const dir = await scratch(t);
  const source = join(dir, 'f');
  await writeFile(source, 'x');
  const info = await startedSleeper(container);
  await container.uploadToContainer(info.id, source, '/tmp/owned', {uid: 65534, gid: 65534});
  t.is(await sh(runtime, info.id, 'stat -c "%u %g" /tmp/owned'), '65534 65534\n');
});

test('a host directory lands AT dest, with its tree and modes', async (t) => {
  const {container, runtime} = await realContainer();
  const dir = await scratch(t);
  const source = join(dir, 'site');
  await mkdir(join(source, 'css'), {recursive: true});
  await writeFile(join(source, 'index.html'), '<h1>hi</h1>\n');
  await writeFile(join(source, 'css', 'app.css'), 'body{}\n');
  await writeFile(join(source, 'run.sh'), '#!/bin/sh\necho ran\n');
  await chmod(join(source, 'run.sh'), 0o755);
  await chmod(source, 0o750);
  const info = await startedSleeper(container);
  await container.uploadToContainer(info.id, source, '/tmp/www');
  t.is(
    await sh(
      runtime,
      info.id,
      'cd /tmp/www && find . | sort && stat -c "%a" . && cat index.html && ./run.sh',
    ),
    '.\n./css\n./css/app.css\n./index.html\n./run.sh\n750\n<h1>hi</h1>\nran\n',
  );
});

test('an upload into a missing directory is NOT_FOUND naming it (seed case 33)', async (t) => {
  const {container} = await realContainer();
  const dir = await scratch(t);
  const source = join(dir, 'f');
  await writeFile(source, 'x');
  const info = await startedSleeper(container);
  const error = await t.throwsAsync(container.uploadToContainer(info.id, source, '/no/such/dir/f'), {
    instanceOf: EngineError,
  });
  t.is(error?.code, 'NOT_FOUND');
  t.regex(error?.message ?? '', /directory \/no\/such\/dir does not exist/);
  t.deepEqual(await readdir(dir), ['f']);
});

test('an upload into an unknown container is NOT_FOUND about the container', async (t) => {
  const {container} = await realContainer();
  const error = await t.throwsAsync(container.uploadContent('no-such-container-y', '/tmp/x', 'x'), {
    instanceOf: EngineError,
  });
  t.is(error?.code, 'NOT_FOUND');
  t.is(error?.details['resource'], 'container');
});

test('uploadContent writes into a created, not yet started container, with mode and owner', async (t) => {
  const {container, runtime} = await realContainer();
  const task = sleeperTask();
  const info = await container.createContainer(task.name, task);
  await container.uploadContent(info.id, '/etc/secret.key', Buffer.from('s3cret'), {
    mode: 0o600,
    uid: 65534,
    gid: 0,
  });
  await container.startContainer(info.id);
  t.is(
    await sh(runtime, info.id, 'cat /etc/secret.key; echo; stat -c "%a %u %g" /etc/secret.key'),
    's3cret\n600 65534 0\n',
  );
});
