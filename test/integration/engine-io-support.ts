/**
Plumbing for the engine I/O integration tests: plain labelled containers made through the runtime directly
(no pods), resolvers over them, and bounded waits.
*/
import type {ExecutionContext} from 'ava';
import {EngineError} from '../../src/errors.js';
import type {IoDeps, ResolvedContainer, ResolvedPod} from '../../src/engine/io/deps.js';
import type {ContainerCreateSpec, ContainerRuntime} from '../../src/runtime/port.js';
import {ensureTestImage, realRuntime} from '../support/docker.js';
import {removeByRunId, testLabels, uniqueName} from '../support/run-id.js';

/** The runtime and the busybox image of the run. */
export async function subject(): Promise<{readonly runtime: ContainerRuntime; readonly image: string}> {
  const runtime = await realRuntime();
  return {runtime, image: await ensureTestImage(runtime)};
}

/** Removes what this run created (for `test.after.always`). */
export async function cleanup(): Promise<void> {
  await removeByRunId(await realRuntime());
}

/** Creates and starts a labelled container running `cmd`; returns its id. */
export async function startContainer(
  cmd: readonly string[],
  extra: Partial<ContainerCreateSpec> = {},
): Promise<string> {
  const {runtime, image} = await subject();
  const {id} = await runtime.createContainer({
    name: uniqueName('io'),
    image,
    cmd,
    labels: testLabels(),
    ...extra,
    host: {...extra.host},
  });
  await runtime.startContainer(id);
  return id;
}

/** A resolver over plain containers: a ref is a Docker id or name; the spec name is the Docker name. */
export function plainDeps(
  runtime: ContainerRuntime,
  pods: Readonly<Record<string, readonly string[]>> = {},
): IoDeps {
  const resolve = async (ref: string, signal?: AbortSignal): Promise<ResolvedContainer> => {
    const details = await runtime.inspectContainer(ref, signal === undefined ? {} : {signal});
    return {
      id: details.id,
      dockerName: details.name,
      pod: '',
      name: details.name,
      role: 'app',
      tty: details.config.tty,
    };
  };
  const resolvePod = async (ref: string, signal?: AbortSignal): Promise<ResolvedPod> => {
    const members = pods[ref];
    if (members === undefined) throw new EngineError('NOT_FOUND', `no test pod ${ref}`);
    return {name: ref, infraId: '', apps: await Promise.all(members.map((id) => resolve(id, signal)))};
  };
  return {runtime, resolve, resolvePod};
}

/** Polls `check` every 100 ms until it returns a value other than undefined, for at most `ms`. */
export async function eventually<T>(
  t: ExecutionContext,
  what: string,
  check: () => Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) {
      t.fail(`timed out after ${ms} ms waiting for ${what}`);
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
