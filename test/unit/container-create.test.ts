import test from 'ava';
import {MANAGED_LABEL_VALUE} from '../../src/container/create-container.js';
import {DockerContainer} from '../../src/container/docker-container.js';
import {LABELS} from '../../src/constants.js';
import {EngineError} from '../../src/errors.js';
import type {
  ContainerCreateSpec,
  ContainerDetails,
  ContainerRuntime,
  ImageDetails,
  PullOptions,
} from '../../src/runtime/port.js';
import type {BcsContainerTask} from '../../src/task/types.js';
import {stubRuntime} from '../support/container-helpers.js';

const IMAGE: ImageDetails = {
  id: 'sha256:1',
  repoTags: [],
  repoDigests: [],
  created: 0,
  size: 0,
  labels: {},
  architecture: 'amd64',
  os: 'linux',
  config: {env: [], cmd: [], entrypoint: [], workingDir: '', user: '', exposedPorts: []},
};

function inspected(id: string, spec: ContainerCreateSpec): ContainerDetails {
  return {
    id,
    name: `/${spec.name ?? ''}`,
    image: spec.image,
    imageId: 'sha256:1',
    created: '2024-01-01T00:00:00Z',
    restartCount: 0,
    labels: {...spec.labels},
    state: {
      status: 'created',
      running: false,
      paused: false,
      restarting: false,
      oomKilled: false,
      dead: false,
      pid: 0,
      exitCode: 0,
      error: '',
      startedAt: '0001-01-01T00:00:00Z',
      finishedAt: '0001-01-01T00:00:00Z',
    },
    config: {
      hostname: 'abc',
      env: [],
      cmd: [],
      entrypoint: [],
      workingDir: '',
      user: '',
      tty: false,
      exposedPorts: [],
    },
    host: {networkMode: 'default', cpuShares: 512, memory: 64 * 1024 * 1024},
    network: {networks: {}, ports: [], sandboxKey: ''},
  };
}

/** A runtime where `present` images exist; records creates and pulls. */
function engine(present: readonly string[], overrides: Partial<ContainerRuntime> = {}) {
  const created: ContainerCreateSpec[] = [];
  const stub = stubRuntime({
    inspectImage: (ref: string) => Promise.resolve(present.includes(ref) ? IMAGE : null),
    pullImage: () => Promise.resolve(),
    createContainer: (spec: ContainerCreateSpec) => {
      created.push(spec);
      return Promise.resolve({id: 'c0ffee', warnings: []});
    },
    inspectContainer: (id: string) => Promise.resolve(inspected(id, created.at(-1) ?? {image: '', host: {}})),
    ...overrides,
  });
  return {...stub, created, container: new DockerContainer({runtime: stub.runtime})};
}

const task = (overrides: Partial<BcsContainerTask> = {}): BcsContainerTask => ({
  name: 'web',
  image: 'nginx:1.19',
  resource: {cpus: 0.5, mem: 64},
  ...overrides,
});

test('an invalid task is VALIDATION listing every problem, and nothing reaches the runtime (§8.14)', async (t) => {
  const {container, calls} = engine([]);
  const error = await t.throwsAsync(
    container.createContainer('bcs-container-1', task({image: 'Bad Image', resource: {cpus: -1, mem: 4}})),
    {instanceOf: EngineError},
  );
  t.is(error?.code, 'VALIDATION');
  const paths = (error?.details['issues'] as {path: string}[]).map((issue) => issue.path);
  t.true(paths.includes('image'));
  t.true(paths.some((path) => path.startsWith('resource')));
  t.deepEqual(calls, []);
});

test('an invalid container name is VALIDATION and nothing is created', async (t) => {
  const {container, calls} = engine(['nginx:1.19']);
  const error = await t.throwsAsync(container.createContainer('no spaces allowed', task()), {
    instanceOf: EngineError,
  });
  t.is(error?.code, 'VALIDATION');
  t.deepEqual(calls, []);
});

test('a present image is found by its exact reference and not pulled', async (t) => {
  const {container, methods, calls, created} = engine(['nginx:1.19']);
  const info = await container.createContainer('bcs-container-1', task());
  t.deepEqual(methods(), ['inspectImage', 'createContainer', 'inspectContainer']);
  t.is(calls[0]?.args[0], 'nginx:1.19');
  t.is(created[0]?.image, 'nginx:1.19');
  t.is(created[0]?.name, 'bcs-container-1');
  // The full inspected state, not just id and name.
  t.like(info, {
    id: 'c0ffee',
    name: 'bcs-container-1',
    status: 'created',
    hostname: 'abc',
    networkMode: 'bridge',
  });
  t.deepEqual(info.resource, {cpus: 0.5, mem: 64});
});

test('nginx:1.19 present does not make nginx present: nginx:latest is pulled (seed case 22)', async (t) => {
  const {container, calls, created} = engine(['nginx:1.19']);
  await container.createContainer('bcs-container-1', task({image: 'nginx'}));
  t.is(calls[0]?.args[0], 'nginx:latest');
  const pull = calls.find((call) => call.method === 'pullImage');
  t.is(pull?.args[0], 'docker.io/library/nginx:latest');
  t.is(created[0]?.image, 'nginx:latest');
});

test('a fully qualified name is looked up in its short form, so a present image is found', async (t) => {
  const {container, methods} = engine(['nginx:1.19']);
  await container.createContainer('bcs-container-1', task({image: 'docker.io/library/nginx:1.19'}));
  t.false(methods().includes('pullImage'));
});

test('a digest is kept for the lookup, the pull and the create (seed case 23)', async (t) => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const {container, calls, created} = engine([]);
  await container.createContainer(
    'bcs-container-1',
    task({image: `reg.example.com:5000/team/app@${digest}`}),
  );
  t.is(calls[0]?.args[0], `reg.example.com:5000/team/app@${digest}`);
  t.is(calls.find((call) => call.method === 'pullImage')?.args[0], `reg.example.com:5000/team/app@${digest}`);
  t.is(created[0]?.image, `reg.example.com:5000/team/app@${digest}`);
});

test('forcePullImage pulls even when the image is present', async (t) => {
  const {container, methods} = engine(['nginx:1.19']);
  await container.createContainer('bcs-container-1', task({forcePullImage: true}));
  t.deepEqual(methods(), ['pullImage', 'createContainer', 'inspectContainer']);
});

test('a failed pull is IMAGE_PULL_FAILED naming the image, and nothing is created', async (t) => {
  const {container, methods} = engine([], {
    pullImage: () =>
      Promise.reject(
        new EngineError('IMAGE_PULL_FAILED', 'pull of x failed: connection refused', {
          details: {engineMessage: 'connection refused'},
        }),
      ),
  });
  const error = await t.throwsAsync(
    container.createContainer('bcs-container-1', task({image: 'missing/app:1'})),
    {
      instanceOf: EngineError,
    },
  );
  t.is(error?.code, 'IMAGE_PULL_FAILED');
  t.regex(error?.message ?? '', /missing\/app:1/);
  t.is(error?.details['image'], 'missing/app:1');
  t.false(methods().includes('createContainer'));
});

test('the container carries the managed label; a task label of the same key wins', async (t) => {
  const first = engine(['nginx:1.19']);
  await first.container.createContainer('a1', task({labels: [{key: 'team', value: 'x'}]}));
  t.deepEqual(first.created[0]?.labels, {[LABELS.managed]: MANAGED_LABEL_VALUE, team: 'x'});
  const second = engine(['nginx:1.19']);
  await second.container.createContainer('a2', task({labels: [{key: LABELS.managed, value: '7'}]}));
  t.is(second.created[0]?.labels?.[LABELS.managed], '7');
});

test('the task is mapped as given: no envOperCopy here (the pod runs it)', async (t) => {
  const {container, created} = engine(['nginx:1.19']);
  await container.createContainer(
    'a1',
    task({
      env: [
        {key: 'A', value: 'x'},
        {key: 'B', value: '$A'},
      ],
    }),
  );
  t.deepEqual(created[0]?.env, ['A=x', 'B=$A']);
});

test('a taken name stays ALREADY_EXISTS (seed: 409 on a rerun)', async (t) => {
  const {container} = engine(['nginx:1.19'], {
    createContainer: () => Promise.reject(new EngineError('ALREADY_EXISTS', 'name in use')),
  });
  const error = await t.throwsAsync(container.createContainer('a1', task()), {instanceOf: EngineError});
  t.is(error?.code, 'ALREADY_EXISTS');
});

test('registry credentials go only with images of their registry (§8.17)', async (t) => {
  const auth = {username: 'u', password: 'p', serveraddress: 'https://reg.example.com:5000/v2/'};
  const pulls: PullOptions[] = [];
  const stub = engine([], {
    pullImage: (_ref: string, options: PullOptions = {}) => {
      pulls.push(options);
      return Promise.resolve();
    },
  });
  const container = new DockerContainer({runtime: stub.runtime, auth});
  await container.pullImage('reg.example.com:5000/team/app:1');
  await container.pullImage('other.example.com/team/app:1');
  await container.pullImage('nginx');
  t.deepEqual(pulls[0]?.auth, auth);
  t.is(pulls[1]?.auth, undefined);
  t.is(pulls[2]?.auth, undefined);
});

test('Docker Hub credentials match images without a registry', async (t) => {
  const auth = {username: 'u', password: 'p', serveraddress: 'https://index.docker.io/v1/'};
  const pulls: PullOptions[] = [];
  const stub = engine([], {
    pullImage: (_ref: string, options: PullOptions = {}) => {
      pulls.push(options);
      return Promise.resolve();
    },
  });
  await new DockerContainer({runtime: stub.runtime, auth}).pullImage('team/app');
  t.deepEqual(pulls[0]?.auth, auth);
});
