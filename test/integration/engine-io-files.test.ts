import {mkdtemp, mkdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {commit} from '../../src/engine/io/commit.js';
import {exec} from '../../src/engine/io/exec.js';
import {inspectImage, listImages, removeImage} from '../../src/engine/io/images.js';
import {topContainer} from '../../src/engine/io/top.js';
import {updateContainer} from '../../src/engine/io/update-container.js';
import {upload} from '../../src/engine/io/upload.js';
import {isEngineError} from '../../src/errors.js';
import {runId} from '../support/run-id.js';
import {cleanup, plainDeps, startContainer, subject} from './engine-io-support.js';

test.after.always(cleanup);

test('upload content and a directory, commit, and find the files in a container of the new image', async (t) => {
  const {runtime} = await subject();
  const deps = plainDeps(runtime);
  const id = await startContainer(['sleep', '300']);
  const hostDir = await mkdtemp(join(tmpdir(), 'bcs-io-upload-'));
  t.teardown(() => rm(hostDir, {recursive: true, force: true}));
  await mkdir(join(hostDir, 'nested'));
  await writeFile(join(hostDir, 'a.txt'), 'from a directory\n');
  await writeFile(join(hostDir, 'nested', 'b.txt'), 'nested file\n', {mode: 0o600});

  t.deepEqual(await upload(deps, id, {content: 'héllo\n', dest: '/tmp/hello.txt', mode: 0o640}), {
    changed: true,
  });
  t.deepEqual(await upload(deps, id, {source: hostDir, dest: '/tmp/data'}), {changed: true});
  const inPlace = await exec(deps, id, {
    cmd: ['sh', '-c', 'cat /tmp/hello.txt /tmp/data/a.txt /tmp/data/nested/b.txt; stat -c %a /tmp/hello.txt'],
  });
  t.is(inPlace.stdout, 'héllo\nfrom a directory\nnested file\n640\n');

  const image = `bcs-executor-test/io-commit-${runId}:v1`;
  t.teardown(() => runtime.removeImage(image, {force: true}).then(() => undefined));
  const committed = await commit(deps, id, {image});
  t.true(committed.changed);
  t.regex(committed.imageId, /^sha256:[0-9a-f]{64}$/);
  const details = await inspectImage(deps, image);
  t.is(details.id, committed.imageId);
  t.true((await listImages(deps)).some((summary) => summary.id === committed.imageId));

  const fromImage = await startContainer(['sleep', '300'], {image});
  const read = await exec(deps, fromImage, {cmd: ['cat', '/tmp/hello.txt', '/tmp/data/nested/b.txt']});
  t.is(read.stdout, 'héllo\nnested file\n');

  // The image is in use: removing it is refused, and an absent image is no change.
  const inUse = await t.throwsAsync(removeImage(deps, image));
  t.true(isEngineError(inUse) && inUse.code === 'INVALID_STATE', String(inUse));
  t.deepEqual(await removeImage(deps, `bcs-executor-test/never-built-${runId}:x`), {changed: false});
});

test('upload refuses bad options and a missing parent directory', async (t) => {
  const {runtime} = await subject();
  const deps = plainDeps(runtime);
  const id = await startContainer(['sleep', '300']);
  const both = await t.throwsAsync(upload(deps, id, {content: 'x', source: '/etc/hostname', dest: '/tmp/x'}));
  t.true(isEngineError(both) && both.code === 'VALIDATION');
  const relative = await t.throwsAsync(upload(deps, id, {content: 'x', dest: 'tmp/x'}));
  t.true(isEngineError(relative) && relative.code === 'VALIDATION');
  const missing = await t.throwsAsync(upload(deps, id, {content: 'x', dest: '/no/such/dir/file'}));
  t.true(isEngineError(missing) && missing.code === 'NOT_FOUND', String(missing));
});

test('inspecting an absent image is NOT_FOUND', async (t) => {
  const {runtime} = await subject();
  const error = await t.throwsAsync(inspectImage(plainDeps(runtime), `bcs-executor-test/absent-${runId}:x`));
  t.true(isEngineError(error) && error.code === 'NOT_FOUND');
});

test('top lists the processes; update applies resources once', async (t) => {
  const {runtime} = await subject();
  const deps = plainDeps(runtime);
  const id = await startContainer(['sleep', '300']);
  const top = await topContainer(deps, id, {psArgs: '-o pid,args'});
  t.deepEqual(top.titles, ['PID', 'COMMAND']);
  t.true(top.processes.some((row) => row.join(' ').includes('sleep 300')));

  t.deepEqual(await updateContainer(deps, id, {cpu: 0.5, mem: 64}), {changed: true});
  const details = await runtime.inspectContainer(id);
  t.is(details.host.memory, 64 * 1024 * 1024);
  t.is(details.host.cpuQuota, 50_000);
  t.deepEqual(await updateContainer(deps, id, {cpu: 0.5, mem: 64}), {changed: false});
  const invalid = await t.throwsAsync(updateContainer(deps, id, {mem: 1}));
  t.true(isEngineError(invalid) && invalid.code === 'VALIDATION');
});
