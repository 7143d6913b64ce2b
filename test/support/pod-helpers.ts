/**
Helpers for pod and engine tests: specs for the demo image, an engine over the in-memory fake, and bounded
waits on engine events and conditions.
*/
import {LOCAL_IMAGES} from '../../src/constants.js';
import {createEngine} from '../../src/engine/create-engine.js';
import type {CreateEngineOptions} from '../../src/engine/engine-core.js';
import type {Engine} from '../../src/engine/engine.js';
import type {EngineEventName, EngineEvents} from '../../src/engine/types.js';
import type {ContainerSpec, PodSpec} from '../../src/pod/spec-types.js';
import {FakeRuntime, type FakeRuntimeOptions} from './fake-runtime.js';
import {realRuntime} from './docker.js';
import {removeByRunId, runId, testLabels} from './run-id.js';

let counter = 0;

/** A pod name unique to this process and test (DNS-label shaped, at most 50 characters). */
export function podName(prefix = 'pod'): string {
  counter++;
  const id = runId.replace(/[^a-z0-9-]/g, '').slice(-12);
  return `${prefix}-${id}-${counter.toString(36)}`.toLowerCase().slice(0, 50).replace(/-+$/, '');
}

/** A container of the demo image running `args` under `sh -c`, or the image's httpd. */
export function app(name: string, script?: string, extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    name,
    image: LOCAL_IMAGES.demo,
    ...(script === undefined ? {} : {command: 'sh', args: ['-c', script]}),
    ...extra,
  };
}

/** A pod spec carrying this run's test label (which the engine copies onto every container). */
export function podSpec(
  name: string,
  containers: readonly ContainerSpec[],
  extra: Partial<PodSpec> = {},
): PodSpec {
  return {
    name,
    ...extra,
    labels: testLabels(extra.labels ?? {}),
    killPolicy: extra.killPolicy ?? {graceSeconds: 1},
    containers,
  };
}

/**
A FakeRuntime with the local images as the set-up builds them: the pause image's entrypoint is a process that
never exits by itself, the demo image serves httpd (both run "forever" in the fake).
*/
export function fakeRuntime(options: FakeRuntimeOptions = {}): FakeRuntime {
  const runtime = new FakeRuntime(options);
  runtime.addImage(LOCAL_IMAGES.pause, {entrypoint: ['/pause', '-P'], cmd: []});
  runtime.addImage(LOCAL_IMAGES.demo, {
    cmd: ['httpd', '-f', '-v', '-p', '80', '-h', '/www'],
    env: ['PATH=/bin'],
    exposedPorts: ['80/tcp'],
  });
  return runtime;
}

/** A FakeRuntime with the local images (or `options.runtime`), and an engine over it. */
export function fakeEngine(
  options: Partial<CreateEngineOptions> & {readonly fake?: FakeRuntimeOptions} = {},
): {readonly runtime: FakeRuntime; readonly engine: Engine} {
  const runtime = options.runtime instanceof FakeRuntime ? options.runtime : fakeRuntime(options.fake);
  const engine = createEngine({nodeIp: '192.0.2.10', ...options, runtime});
  return {runtime, engine};
}

/** Resolves with the first payload of `event` that `match` accepts; rejects after `timeoutMs`. */
export function nextEvent<E extends EngineEventName>(
  engine: Engine,
  event: E,
  match: (payload: EngineEvents[E]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<EngineEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event matched within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = engine.on(event, (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Polls `probe` until it returns a value other than undefined; rejects after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} not met within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
An engine over the real dockerd. Without options, the one engine this test process shares (every engine watches
and health-checks every pod on the host, so one per process keeps the load on dockerd down); with options, one
of its own. Closed, and the run's objects removed, by {@link cleanUpRealEngines} in `test.after.always`.

Like any engine it contends for the endpoint's supervisor lease: the reactions to what a test does may come
from another engine process on the host (another test file's), and the test's starts hold that one off. A test
that needs this engine itself to act gives it `supervisorLease: privateLease()`, and closes it when done: such
an engine acts on every pod of the host, and nothing holds it off.
*/
export async function realEngine(options: Partial<CreateEngineOptions> = {}): Promise<Engine> {
  const runtime = await realRuntime();
  if (Object.keys(options).length === 0) {
    sharedEngine ??= createEngine({runtime});
    realEngines.add(sharedEngine);
    return sharedEngine;
  }
  const engine = createEngine({...options, runtime: options.runtime ?? runtime});
  realEngines.add(engine);
  return engine;
}

let sharedEngine: Engine | undefined;
const realEngines = new Set<Engine>();

/** Closes every engine realEngine made and removes everything this run created in Docker. */
export async function cleanUpRealEngines(): Promise<void> {
  await Promise.all([...realEngines].map((engine) => engine.close()));
  realEngines.clear();
  sharedEngine = undefined;
  await removeByRunId(await realRuntime());
}
