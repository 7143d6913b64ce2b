/**
`createEngine`: the one Engine implementation (engine.ts), over any ContainerRuntime. It starts watching at
once (one event stream, a resync on every connect, the crash rule on the first) and keeps running until
`close()`; the pods themselves live in Docker and outlive it.
*/
import * as io from './io/index.js';
import {applyPod, createPod} from './create-pod.js';
import {
  getContainer,
  inspectContainer,
  inspectContainerBcs,
  killContainer,
  listContainers,
  removeContainer,
  restartContainer,
  startContainer,
  stopContainer,
} from './container-ops.js';
import {readCache} from './context.js';
import {EngineCore, type CreateEngineOptions} from './engine-core.js';
import type {Engine} from './engine.js';
import {ioDeps} from './io-deps.js';
import {podSnapshot} from './pod-access.js';
import {updatePodResources} from './pod-resources.js';
import {restartPod, startPod} from './pod-start.js';
import {killPod, removePod, stopPod} from './pod-stop.js';
import {resolvePodName} from './refs.js';
import {EngineError} from '../errors.js';
import {maskSpec} from '../pod/spec/mask.js';
import type {PodView} from './types.js';
import {waitPod} from './wait-pod.js';

export type {CreateEngineOptions} from './engine-core.js';

/**
Builds an engine over `options.runtime`. Pods are found by their labels, so engines in other processes (or a
second engine here, over another connection) see and drive the same pods.
*/
export function createEngine(options: CreateEngineOptions): Engine {
  const core = new EngineCore(options);
  const {ctx} = core;
  const deps = ioDeps(ctx);
  // Views are served from the cache while the event stream keeps it current (no Docker round trip).
  const podView = (ref: string, signal?: AbortSignal): Promise<PodView> =>
    readCache(ctx, signal, () => {
      const view = ctx.tracker.view(ctx.tracker.busy(ref) ? ref : resolvePodName(ctx.cache, ref));
      if (view === undefined)
        throw new EngineError('NOT_FOUND', `no pod ${JSON.stringify(ref)}`, {
          details: {resource: 'pod', ref},
        });
      return view;
    });
  return {
    connection: () => core.connection(),
    version: (o = {}) => ctx.runtime.version(o),
    info: (o = {}) => ctx.runtime.info(o),
    async ping(o = {}) {
      const started = performance.now();
      const {apiVersion} = await ctx.runtime.ping(o);
      return {apiVersion, latencyMs: performance.now() - started};
    },
    on: (event, listener) => ctx.bus.on(event, listener),
    activity: () => ctx.activity.list(),

    async listPods(o = {}) {
      await ctx.current(o.signal);
      return ctx.tracker.views();
    },
    getPod: (ref, o = {}) => podView(ref, o.signal),
    async getPodSpec(ref, o = {}) {
      const snapshot = await podSnapshot(ctx, ref, o.signal);
      if (snapshot.spec === undefined) {
        throw new EngineError(
          'NOT_FOUND',
          `pod ${snapshot.name} carries no spec (it was not made from one)`,
          {details: {resource: 'pod-spec', ref}},
        );
      }
      // Stored masked already; masking again is a no-op that guards against a label written by hand.
      return maskSpec(snapshot.spec);
    },
    createPod: (spec, o) => createPod(ctx, spec, o),
    applyPod: (spec, o) => applyPod(ctx, spec, o),
    startPod: (ref, o) => startPod(ctx, ref, o),
    stopPod: (ref, o) => stopPod(ctx, ref, o),
    restartPod: (ref, o) => restartPod(ctx, ref, o),
    killPod: (ref, o) => killPod(ctx, ref, o),
    removePod: (ref, o) => removePod(ctx, ref, o),
    waitPod: (ref, o) => waitPod(ctx, ref, o),
    podLogs: (ref, o) => io.podLogs(deps, ref, o),
    podStats: (ref, o) => io.podStats(deps, ref, o),
    updatePodResources: (ref, resources, o) => updatePodResources(ctx, ref, resources, o),

    listContainers: (o) => listContainers(ctx, o),
    getContainer: (ref, o) => getContainer(ctx, ref, o),
    inspectContainer: (ref, o) => inspectContainer(ctx, ref, o),
    inspectContainerBcs: (ref, o) => inspectContainerBcs(ctx, ref, o),
    startContainer: (ref, o) => startContainer(ctx, ref, o),
    stopContainer: (ref, o) => stopContainer(ctx, ref, o),
    restartContainer: (ref, o) => restartContainer(ctx, ref, o),
    killContainer: (ref, o) => killContainer(ctx, ref, o),
    removeContainer: (ref, o) => removeContainer(ctx, ref, o),
    exec: (ref, o) => io.exec(deps, ref, o),
    execInteractive: (ref, o) => io.execInteractive(deps, ref, o),
    upload: (ref, o) => io.upload(deps, ref, o),
    commit: (ref, o) => io.commit(deps, ref, o),
    async updateContainer(ref, resources, o = {}) {
      const result = await io.updateContainer(deps, ref, resources, o);
      const resolved = await deps.resolve(ref, o.signal);
      await ctx.refreshPod(resolved.pod, [resolved.id]);
      return result;
    },
    containerLogs: (ref, o) => io.containerLogs(deps, ref, o),
    followLogs: (ref, o) => io.followLogs(deps, ref, o),
    containerStats: (ref, o) => io.containerStats(deps, ref, o),
    followStats: (refs, o) => io.followStats(deps, refs, o),
    topContainer: (ref, o) => io.topContainer(deps, ref, o),

    listImages: (o) => io.listImages(deps, o),
    inspectImage: (ref, o) => io.inspectImage(deps, ref, o),
    pullImage: (ref, o) => io.pullImage(deps, ref, o),
    removeImage: (ref, o) => io.removeImage(deps, ref, o),

    reconcile: (o = {}) => core.reconcile(o.signal),
    close: () => core.close(),
  };
}
