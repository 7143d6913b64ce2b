/** Pod methods: create, apply, start, stop, restart, kill, remove, list, inspect, logs, stats, updateResources, wait. */
import {z} from 'zod';
import {
  isEngineError,
  POD_STATUSES,
  type CreatePodOptions,
  type PodStatus,
  type PodView,
} from '../../src/index.js';
import {listPodsCached} from '../pod-list-cache.js';
import {checkSpecPolicy} from '../policy.js';
import {
  changed,
  graceSeconds,
  killSignal,
  params,
  podRef,
  timeoutMs,
  workDoneToken,
  force,
} from '../schema/common.js';
import {logReadFields, MCP_LOG_DEFAULTS} from '../schema/logs.js';
import {podSpecParam, podSpecResult} from '../schema/pod-spec.js';
import {AT_LEAST_ONE_RESOURCE, hasResource, resourceFields} from '../schema/resources.js';
import {logsResult, podStatsView, podView} from '../schema/views.js';
import {compact} from './compact.js';
import {
  CHANGE,
  CHANGE_IDEMPOTENT,
  defineMethod,
  DESTROY,
  ENGINE_ERRORS,
  READ,
  type CallContext,
} from './define.js';

const podResult = z.object({changed, pod: podView});
const waitFor = z
  .enum(['running', 'healthy'])
  .describe('answer only once the pod is running (or running and healthy)');
const statusList = z.array(z.enum(POD_STATUSES as [PodStatus, ...PodStatus[]])).min(1);

const createParams = params({
  spec: podSpecParam,
  start: z.boolean().exactOptional().describe('start after creating (default true)'),
  wait: waitFor.exactOptional(),
  timeoutMs: timeoutMs.exactOptional(),
  workDoneToken: workDoneToken.exactOptional(),
});

type CreateParams = z.output<typeof createParams>;

function createOptions(p: CreateParams, ctx: CallContext): CreatePodOptions {
  return {
    signal: ctx.signal,
    ...compact({start: p.start, wait: p.wait, timeoutMs: p.timeoutMs}),
    onProgress: (progress) => {
      ctx.progress({
        kind: 'report',
        message: `${progress.step}: ${progress.message}`,
        ...(progress.percentage === undefined ? {} : {percentage: progress.percentage}),
      });
    },
  };
}

const CREATE_ERRORS = ['Validation', 'Forbidden', 'ImagePullFailed', 'Timeout', ...ENGINE_ERRORS] as const;

export const POD_METHODS = {
  'pod.create': defineMethod({
    name: 'pod.create',
    summary:
      'Creates a pod from a spec and starts it (unless start: false); with wait, answers once it is running or healthy.',
    params: createParams,
    result: podResult,
    hints: CHANGE,
    errors: ['AlreadyExists', ...CREATE_ERRORS],
    progress: true,
    policy: (p, ctx) => checkSpecPolicy(p.spec, ctx.policy),
    async handle(p, ctx) {
      return (await ctx.engine()).createPod(p.spec, createOptions(p, ctx));
    },
  }),

  'pod.apply': defineMethod({
    name: 'pod.apply',
    summary:
      'Creates the pod, recreates it when its spec changed, or leaves it as it is (action says which).',
    params: createParams,
    result: z.object({
      changed,
      pod: podView,
      action: z.enum(['created', 'recreated', 'unchanged']),
    }),
    hints: CHANGE_IDEMPOTENT,
    errors: CREATE_ERRORS,
    progress: true,
    policy: (p, ctx) => checkSpecPolicy(p.spec, ctx.policy),
    async handle(p, ctx) {
      return (await ctx.engine()).applyPod(p.spec, createOptions(p, ctx));
    },
  }),

  'pod.start': defineMethod({
    name: 'pod.start',
    summary: 'Starts a stopped pod (infra first, then apps in spec order).',
    params: params({ref: podRef, wait: waitFor.exactOptional(), timeoutMs: timeoutMs.exactOptional()}),
    result: podResult,
    hints: CHANGE_IDEMPOTENT,
    errors: ['NotFound', 'InvalidState', 'Timeout', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).startPod(p.ref, {
        signal: ctx.signal,
        ...compact({wait: p.wait, timeoutMs: p.timeoutMs}),
      });
    },
  }),

  'pod.stop': defineMethod({
    name: 'pod.stop',
    summary: 'Stops a pod: apps in reverse spec order with their grace period, then the infra.',
    params: params({ref: podRef, graceSeconds: graceSeconds.exactOptional()}),
    result: podResult,
    hints: DESTROY,
    errors: ['NotFound', 'PartialFailure', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).stopPod(p.ref, {
        signal: ctx.signal,
        ...compact({graceSeconds: p.graceSeconds}),
      });
    },
  }),

  'pod.restart': defineMethod({
    name: 'pod.restart',
    summary: 'Stops, then starts a pod.',
    params: params({ref: podRef, graceSeconds: graceSeconds.exactOptional()}),
    result: podResult,
    hints: {readOnly: false, destructive: true, idempotent: false},
    errors: ['NotFound', 'PartialFailure', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).restartPod(p.ref, {
        signal: ctx.signal,
        ...compact({graceSeconds: p.graceSeconds}),
      });
    },
  }),

  'pod.kill': defineMethod({
    name: 'pod.kill',
    summary: 'Sends a signal (default SIGKILL) to every app container, then stops the infra.',
    params: params({ref: podRef, signal: killSignal.exactOptional()}),
    result: podResult,
    hints: DESTROY,
    errors: ['NotFound', 'InvalidState', 'PartialFailure', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).killPod(p.ref, {signal: ctx.signal, ...compact({killSignal: p.signal})});
    },
  }),

  'pod.remove': defineMethod({
    name: 'pod.remove',
    summary:
      'Removes a pod and its containers (force: even when running). Removing a missing pod is changed: false.',
    params: params({ref: podRef, force: force.exactOptional()}),
    result: z.object({changed, name: z.string(), removedContainers: z.array(z.string()).readonly()}),
    hints: DESTROY,
    errors: ['InvalidState', 'PartialFailure', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).removePod(p.ref, {signal: ctx.signal, ...compact({force: p.force})});
    },
  }),

  'pod.list': defineMethod({
    name: 'pod.list',
    summary:
      "Every pod, from the engine's in-memory views (no Docker round trip while nothing changed); optionally filtered by status and labels.",
    params: params({
      status: statusList.exactOptional().describe('only pods with one of these statuses'),
      labels: z.record(z.string(), z.string()).exactOptional().describe('only pods with all these labels'),
    }),
    result: z.object({pods: z.array(podView)}),
    hints: READ,
    errors: [...ENGINE_ERRORS],
    async handle(p, ctx) {
      const pods = await listPodsCached(await ctx.engine(), ctx.signal);
      return {pods: pods.filter((pod) => matches(pod, p.status, p.labels))};
    },
  }),

  'pod.inspect': defineMethod({
    name: 'pod.inspect',
    summary:
      'One pod: its view and the spec it was created with (secret env values masked; null when no spec is ' +
      'recorded, e.g. its infra container was removed before this server started).',
    params: params({ref: podRef}),
    result: z.object({pod: podView, spec: podSpecResult.nullable()}),
    hints: READ,
    errors: ['NotFound', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      const engine = await ctx.engine();
      const pod = await engine.getPod(p.ref, {signal: ctx.signal});
      const spec = await engine.getPodSpec(pod.name, {signal: ctx.signal}).catch((error: unknown) => {
        // The pod is there (getPod answered) but carries no spec: inspect still shows what there is.
        if (isEngineError(error) && error.code === 'NOT_FOUND' && error.details['resource'] === 'pod-spec')
          return null;
        throw error;
      });
      return {pod, spec};
    },
  }),

  'pod.logs': defineMethod({
    name: 'pod.logs',
    summary:
      'Recent log lines of every app container of a pod, merged by time; capped by maxBytes (truncated, totalLines).',
    params: params({ref: podRef, ...logReadFields}),
    result: logsResult,
    hints: READ,
    errors: ['NotFound', 'Validation', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      const {ref, ...options} = p;
      return (await ctx.engine()).podLogs(ref, {
        signal: ctx.signal,
        ...(ctx.face === 'mcp' ? MCP_LOG_DEFAULTS : {}),
        ...options,
      });
    },
  }),

  'pod.stats': defineMethod({
    name: 'pod.stats',
    summary:
      'One resource sample of a pod and each of its containers (CPU and memory percentages computed; network from the infra).',
    params: params({ref: podRef}),
    result: podStatsView,
    hints: READ,
    errors: ['NotFound', 'InvalidState', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).podStats(p.ref, {signal: ctx.signal});
    },
  }),

  'pod.updateResources': defineMethod({
    name: 'pod.updateResources',
    summary:
      'Changes CPU and memory requests and limits of every app container of a pod (or of one, with container).',
    params: params({
      ref: podRef,
      container: z.string().min(1).exactOptional().describe('only this container (its name in the spec)'),
      ...resourceFields,
    }).refine(hasResource, AT_LEAST_ONE_RESOURCE),
    result: podResult,
    hints: CHANGE_IDEMPOTENT,
    errors: ['NotFound', 'Validation', 'InvalidState', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      const {ref, ...resources} = p;
      return (await ctx.engine()).updatePodResources(ref, resources, {signal: ctx.signal});
    },
  }),

  'pod.wait': defineMethod({
    name: 'pod.wait',
    summary: 'Waits until a pod is running, healthy, exited, removed, or has one of the given statuses.',
    params: params({
      ref: podRef,
      condition: z.enum(['running', 'healthy', 'exited', 'removed', 'status']),
      statuses: statusList.exactOptional().describe("with condition 'status': the statuses to wait for"),
      timeoutMs: timeoutMs.exactOptional(),
    }).refine((p) => p.condition !== 'status' || p.statuses !== undefined, {
      error: "condition 'status' needs statuses",
      path: ['statuses'],
    }),
    result: z.object({pod: podView}),
    hints: READ,
    errors: ['NotFound', 'Timeout', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      const {ref, ...options} = p;
      return {pod: await (await ctx.engine()).waitPod(ref, {signal: ctx.signal, ...options})};
    },
  }),
};

function matches(
  pod: PodView,
  statuses: readonly PodStatus[] | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (statuses !== undefined && !statuses.includes(pod.status)) return false;
  if (labels === undefined) return true;
  return Object.entries(labels).every(([key, value]) => pod.labels[key] === value);
}
