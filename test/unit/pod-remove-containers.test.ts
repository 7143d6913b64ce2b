/**
removePodContainers: the apps and the infra at once; an infra refused while its apps exist (podman) removed
again after them; and the cache takes a removal this process saw without inspecting it.
*/
import test from 'ava';
import {LOCAL_IMAGES} from '../../src/constants.js';
import {ContainerCache, type ContainerChange} from '../../src/engine/container-cache.js';
import {EngineError} from '../../src/errors.js';
import {infraLabels} from '../../src/pod/labels.js';
import {removePodContainers} from '../../src/pod/pod-ops.js';
import type {ContainerRuntime} from '../../src/runtime/port.js';
import {fakeEngine} from '../support/pod-helpers.js';

/** A runtime of three containers whose removals are logged; `refuse` decides a removal's error. */
function runtimeOf(
  log: string[],
  refuse: (id: string, left: ReadonlySet<string>) => EngineError | undefined = () => undefined,
): ContainerRuntime {
  const left = new Set(['a', 'b', 'infra']);
  return {
    removeContainer: async (id: string) => {
      log.push(`remove ${id}`);
      // Decided when the request arrives, as a daemon would; answered a moment later.
      const error = refuse(id, left);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (error !== undefined) {
        log.push(`refused ${id}`);
        throw error;
      }
      left.delete(id);
      log.push(`removed ${id}`);
      return {changed: true};
    },
  } as unknown as ContainerRuntime;
}

test('the apps and the infra are removed at once', async (t) => {
  const log: string[] = [];
  t.deepEqual(await removePodContainers(runtimeOf(log), ['a', 'b'], 'infra'), ['a', 'b', 'infra']);
  t.deepEqual(log.slice(0, 3), ['remove a', 'remove b', 'remove infra'], 'none waits for another');
});

test('an infra refused while its apps exist (podman) is removed again once they are gone', async (t) => {
  const log: string[] = [];
  const podmanLike = (id: string, left: ReadonlySet<string>) =>
    id === 'infra' && (left.has('a') || left.has('b'))
      ? new EngineError(
          'ENGINE_ERROR',
          'container infra has dependent containers which must be removed before it',
        )
      : undefined;
  t.deepEqual(await removePodContainers(runtimeOf(log, podmanLike), ['a', 'b'], 'infra'), [
    'a',
    'b',
    'infra',
  ]);
  t.true(log.includes('refused infra'));
  t.is(log.at(-1), 'removed infra');
});

test('an infra failing for a reason of its own is thrown, after the apps went', async (t) => {
  const log: string[] = [];
  const broken = (id: string) =>
    id === 'infra' ? new EngineError('ENGINE_ERROR', 'device busy') : undefined;
  await t.throwsAsync(removePodContainers(runtimeOf(log, broken), ['a', 'b'], 'infra'), {
    message: /device busy/,
  });
  t.true(log.includes('removed a') && log.includes('removed b'));
  t.is(log.filter((entry) => entry === 'remove infra').length, 2, 'tried again once');
});

/** An infra container of pod `pod` in the fake, with the labels the engine writes. */
async function infraOf(runtime: ContainerRuntime, pod: string): Promise<string> {
  const labels = infraLabels({
    pod,
    specHash: '',
    specJson: '',
    containers: 0,
    creator: '',
    createdAt: 0,
    autostart: true,
  });
  const created = await runtime.createContainer({
    name: `${pod}-infra`,
    image: LOCAL_IMAGES.pause,
    labels,
    host: {},
  });
  return created.id;
}

test('a removal this process saw succeed leaves the cache without another inspect', async (t) => {
  const {runtime} = fakeEngine();
  const id = await infraOf(runtime, 'p');
  const changes: ContainerChange[] = [];
  const cache = new ContainerCache(runtime, (change) => changes.push(change));
  await cache.refresh(id, 'reconcile');
  t.deepEqual(cache.pods(), ['p']);
  await runtime.removeContainer(id, {force: true});
  runtime.callLog.length = 0;
  await cache.removed(id);
  t.deepEqual(runtime.callLog, [], 'Docker is not asked');
  t.is(cache.get(id), undefined);
  t.deepEqual(cache.pods(), []);
  t.like(changes.at(-1), {id, pod: 'p', current: undefined, action: 'destroy'});
});

test('a container found gone by any refresh is reported as destroyed, not as a reconcile', async (t) => {
  const {runtime} = fakeEngine();
  const id = await infraOf(runtime, 'q');
  const changes: ContainerChange[] = [];
  const cache = new ContainerCache(runtime, (change) => changes.push(change));
  await cache.refresh(id, 'reconcile');
  await runtime.removeContainer(id, {force: true});
  // A reaction's inspect that comes before the `destroy` event's own.
  await cache.refresh(id, 'reconcile');
  t.like(changes.at(-1), {id, current: undefined, action: 'destroy'});
});
