/**
Images through DockerContainer against the real dockerd: exact presence (seed cases 21-23), pulls with no
registry, listImage, commitImage and its push. Pulls and pushes go only to 127.0.0.1:1, where nothing
listens, so they fail at once and nothing leaves the machine.
*/
import test from 'ava';
import {LOCAL_IMAGES} from '../../src/constants.js';
import {EngineError} from '../../src/errors.js';
import {
  dockerCli,
  dockerInspect,
  realContainer,
  sleeperTask,
  startedSleeper,
} from '../support/container-helpers.js';
import {realRuntime} from '../support/docker.js';
import {removeByRunId, runId} from '../support/run-id.js';

/** An unreachable registry: a pull or push there fails with "connection refused". */
const NOWHERE = '127.0.0.1:1';
/** The demo image under a second name in that registry, tagged `v1` only. */
const ALIAS_REPO = `${NOWHERE}/bcs-test/demo-${runId}`;

test.before(async () => {
  await dockerCli(['tag', LOCAL_IMAGES.demo, `${ALIAS_REPO}:v1`]);
});

test.after.always(async () => {
  await dockerCli(['rmi', `${ALIAS_REPO}:v1`]).catch(() => undefined);
  await removeByRunId(await realRuntime());
});

async function containerNamed(name: string): Promise<string> {
  return (await dockerCli(['ps', '-aq', '--filter', `name=^${name}$`])).trim();
}

test('a present tag is used without a pull (the registry is unreachable, so a pull would fail)', async (t) => {
  const {container} = await realContainer();
  const task = sleeperTask({image: `${ALIAS_REPO}:v1`});
  const info = await container.createContainer(task.name, task);
  t.is(info.status, 'created');
});

test('the name without a tag means :latest, which is absent: pulled, and the pull failure names the image (seed case 22)', async (t) => {
  const {container} = await realContainer();
  const task = sleeperTask({image: ALIAS_REPO});
  const error = await t.throwsAsync(container.createContainer(task.name, task), {instanceOf: EngineError});
  t.is(error?.code, 'IMAGE_PULL_FAILED');
  t.true(error?.message.includes(`cannot pull image "${ALIAS_REPO}"`), error?.message);
  t.is(error?.details['ref'], `${ALIAS_REPO}:latest`);
  t.is(await containerNamed(task.name), '');
});

test('forcePullImage pulls even a present image (seen here as the failed pull)', async (t) => {
  const {container} = await realContainer();
  const task = sleeperTask({image: `${ALIAS_REPO}:v1`, forcePullImage: true});
  const error = await t.throwsAsync(container.createContainer(task.name, task), {instanceOf: EngineError});
  t.is(error?.code, 'IMAGE_PULL_FAILED');
  t.regex(error?.message ?? '', /connection refused/);
  t.is(await containerNamed(task.name), '');
});

test('pullImage of a missing image with no registry is a clear IMAGE_PULL_FAILED; digests are kept (seed case 23)', async (t) => {
  const {container} = await realContainer();
  const started = performance.now();
  const error = await t.throwsAsync(container.pullImage(`${NOWHERE}/bcs-test/missing:1`), {
    instanceOf: EngineError,
  });
  t.true(performance.now() - started < 10_000);
  t.is(error?.code, 'IMAGE_PULL_FAILED');
  t.regex(
    error?.message ?? '',
    /cannot pull image "127\.0\.0\.1:1\/bcs-test\/missing:1": .*connection refused/,
  );
  const digest = `sha256:${'c'.repeat(64)}`;
  const pinned = await t.throwsAsync(container.pullImage(`${NOWHERE}/bcs-test/missing@${digest}`), {
    instanceOf: EngineError,
  });
  t.is(pinned?.details['ref'], `${NOWHERE}/bcs-test/missing@${digest}`);
});

test('a malformed image or image filter is VALIDATION before any call', async (t) => {
  const {container} = await realContainer();
  const error = await t.throwsAsync(container.pullImage('team/UPPER:1'), {instanceOf: EngineError});
  t.is(error?.code, 'VALIDATION');
  const filter = await t.throwsAsync(container.listImage('not a reference'), {instanceOf: EngineError});
  t.is(filter?.code, 'VALIDATION');
});

test('listImage filters by reference: a name lists its tags, a full name matches its short form (seed case 21)', async (t) => {
  const {container} = await realContainer();
  const tags = async (filter?: string) =>
    (await container.listImage(filter)).flatMap((image) => image.repository);
  t.deepEqual(await tags('bcs-executor/demo'), [LOCAL_IMAGES.demo]);
  t.deepEqual(await tags(`docker.io/${LOCAL_IMAGES.demo}`), [LOCAL_IMAGES.demo]);
  t.deepEqual(await tags('bcs-executor/demo:latest'), []);
  t.deepEqual((await tags('bcs-executor/*')).sort(), [LOCAL_IMAGES.demo, LOCAL_IMAGES.pause].sort());
  const all = await tags();
  t.true(all.includes(LOCAL_IMAGES.demo) && all.includes(LOCAL_IMAGES.pause));
  const [demo] = await container.listImage(LOCAL_IMAGES.demo);
  const inspected = await dockerInspect(LOCAL_IMAGES.demo);
  t.is<unknown, unknown>(demo?.id, inspected['Id']);
  t.is<unknown, unknown>(demo?.size, inspected['Size']);
  t.is(demo?.created, Math.floor(Date.parse(String(inspected['Created'])) / 1000));
});

test('commitImage commits with repo and tag, without pushing unless asked', async (t) => {
  const {container, runtime} = await realContainer();
  const info = await startedSleeper(container);
  await container.runCommandV2({containerId: info.id, cmd: ['sh', '-c', 'echo committed > /tmp/mark']});
  const image = `bcs-test/commit-${runId}:snap`;
  t.teardown(() =>
    dockerCli(['rmi', '-f', image]).then(
      () => undefined,
      () => undefined,
    ),
  );
  const {imageId} = await container.commitImage(info.id, image);
  t.is((await runtime.inspectImage(image))?.id, imageId);
  const task = sleeperTask({image});
  const child = await container.createContainer(task.name, task);
  await container.startContainer(child.id);
  const response = await container.runCommandV2({containerId: child.id, cmd: ['cat', '/tmp/mark']});
  t.is(response.commInspect?.stdout, 'committed\n');
});

test('commitImage with push: a push failure says the commit stands and the push failed', async (t) => {
  const {container, runtime} = await realContainer();
  const info = await startedSleeper(container);
  const image = `${NOWHERE}/bcs-test/commit-${runId}:pushed`;
  t.teardown(() =>
    dockerCli(['rmi', '-f', image]).then(
      () => undefined,
      () => undefined,
    ),
  );
  const error = await t.throwsAsync(container.commitImage(info.id, image, {push: true}), {
    instanceOf: EngineError,
  });
  t.is(error?.code, 'ENGINE_ERROR');
  t.is(error?.details['stage'], 'push');
  t.regex(error?.message ?? '', /but the push failed/);
  t.is<unknown, unknown>((await runtime.inspectImage(image))?.id, error?.details['imageId']);
});

test('commitImage of an unknown container is NOT_FOUND', async (t) => {
  const {container} = await realContainer();
  const error = await t.throwsAsync(container.commitImage('no-such-container-z', `bcs-test/x-${runId}:1`), {
    instanceOf: EngineError,
  });
  t.is(error?.code, 'NOT_FOUND');
});
