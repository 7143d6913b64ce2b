/**
`waitPod`: resolves when the pod meets the condition, re-checked on every event about it; TIMEOUT past
`timeoutMs`, CANCELLED when the signal fires. Waiting for `running` or `healthy` fails fast (INVALID_STATE)
once the pod ended (failed, killed, finish), since it will not get there by itself.
*/
import {EngineError, isEngineError} from '../errors.js';
import type {WaitOptions} from './engine.js';
import {readCache, type EngineContext} from './context.js';
import {resolvePodName} from './refs.js';
import type {PodStatus, PodView} from './types.js';
import {podView} from './views.js';

const ENDED: ReadonlySet<PodStatus> = new Set(['failed', 'killed', 'finish']);

type Check =
  {readonly done: true; readonly view: PodView} | {readonly done: false; readonly error?: EngineError};

function check(name: string, view: PodView | undefined, options: WaitOptions): Check {
  if (view === undefined) {
    return options.condition === 'removed'
      ? {
          done: true,
          view: podView({name, infra: undefined, apps: [], spec: undefined}, undefined, {
            health: () => null,
            extraRestarts: () => 0,
            knownPodIp: () => undefined,
          }),
        }
      : {
          done: false,
          error: new EngineError('NOT_FOUND', `pod ${name} is gone`, {details: {resource: 'pod', ref: name}}),
        };
  }
  switch (options.condition) {
    case 'removed':
      return {done: false};
    case 'exited':
      return ENDED.has(view.status) ? {done: true, view} : {done: false};
    case 'status':
      return (options.statuses ?? []).includes(view.status) ? {done: true, view} : {done: false};
    case 'running':
    case 'healthy': {
      const healthy =
        options.condition === 'running' ||
        (view.healthy !== false &&
          view.containers.every((container) => container.health === null || container.healthy === true));
      if (view.status === 'running' && healthy) return {done: true, view};
      if (ENDED.has(view.status)) {
        return {
          done: false,
          error: new EngineError(
            'INVALID_STATE',
            `pod ${name} is ${view.status} (${view.message}), it will not become ${options.condition}`,
            {
              details: {resource: 'pod', ref: name, status: view.status},
            },
          ),
        };
      }
      return {done: false};
    }
  }
}

/** Waits until pod `ref` meets `options.condition` (see the module comment). */
export async function waitPod(ctx: EngineContext, ref: string, options: WaitOptions): Promise<PodView> {
  const {signal} = options;
  let name: string;
  try {
    // Events move the wait on; the cache needs no list while they flow.
    name = await readCache(ctx, signal, () => resolvePodName(ctx.cache, ref));
  } catch (error) {
    if (
      options.condition === 'removed' &&
      isEngineError(error) &&
      error.code === 'NOT_FOUND' &&
      !ctx.tracker.busy(ref)
    ) {
      return podView({name: ref, infra: undefined, apps: [], spec: undefined}, undefined, {
        health: () => null,
        extraRestarts: () => 0,
        knownPodIp: () => undefined,
      });
    }
    if (!ctx.tracker.busy(ref)) throw error;
    name = ref;
  }
  return await new Promise<PodView>((resolve, reject) => {
    const disposers: (() => void)[] = [];
    const finish = (outcome: () => void): void => {
      for (const dispose of disposers) dispose();
      outcome();
    };
    const evaluate = (): void => {
      const result = check(name, ctx.tracker.view(name), options);
      if (result.done) {
        finish(() => resolve(result.view));
        return;
      }
      const {error} = result;
      if (error !== undefined) finish(() => reject(error));
    };
    if (signal?.aborted === true) {
      reject(new EngineError('CANCELLED', `waiting for pod ${name} was cancelled`));
      return;
    }
    if (options.timeoutMs !== undefined) {
      const timeoutMs = options.timeoutMs;
      // A caller's wall-clock deadline, on a real (ref'd) timer: the engine's clock is for its own schedules.
      const timer = setTimeout(() => {
        finish(() =>
          reject(
            new EngineError(
              'TIMEOUT',
              `pod ${name} did not become ${options.condition} within ${timeoutMs} ms`,
              {
                details: {
                  resource: 'pod',
                  ref: name,
                  timeoutMs,
                  status: ctx.tracker.view(name)?.status ?? 'removed',
                },
              },
            ),
          ),
        );
      }, timeoutMs);
      disposers.push(() => clearTimeout(timer));
    }
    if (signal !== undefined) {
      const onAbort = (): void =>
        finish(() =>
          reject(
            new EngineError('CANCELLED', `waiting for pod ${name} was cancelled`, {cause: signal.reason}),
          ),
        );
      signal.addEventListener('abort', onAbort, {once: true});
      disposers.push(() => signal.removeEventListener('abort', onAbort));
    }
    const relevant = (pod: string): void => {
      if (pod === name) evaluate();
    };
    disposers.push(ctx.bus.on('pod:status', ({pod}) => relevant(pod.name)));
    disposers.push(ctx.bus.on('pod:removed', ({name: removed}) => relevant(removed)));
    disposers.push(ctx.bus.on('container:health', ({pod}) => relevant(pod)));
    disposers.push(ctx.bus.on('container:status', ({pod}) => relevant(pod)));
    evaluate();
  });
}
