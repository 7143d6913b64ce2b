/** Container methods: list, inspect, start, stop, kill, restart, remove, exec, upload, commit, update, logs, stats, top. */
import {z} from 'zod';
import {toBcsInfoJson} from '../../src/index.js';
import {checkHostPath, checkPrivileged} from '../policy.js';
import {
  changed,
  changedResult,
  containerRef,
  force,
  graceSeconds,
  imageRef,
  killSignal,
  params,
  podRef,
  timeoutMs,
} from '../schema/common.js';
import {bcsInfo, containerDetails, execCallResult, topResult} from '../schema/docker.js';
import {logReadFields, MCP_LOG_DEFAULTS} from '../schema/logs.js';
import {AT_LEAST_ONE_RESOURCE, hasResource, resourceFields} from '../schema/resources.js';
import {containerView, logsResult, statsView} from '../schema/views.js';
import {compact} from './compact.js';
import {CHANGE, CHANGE_IDEMPOTENT, defineMethod, DESTROY, ENGINE_ERRORS, READ} from './define.js';
import {execForAgents} from './exec-caps.js';

const envEntry = z
  .string()
  .regex(/^[^=]+=/, {error: 'must be KEY=VALUE'})
  .describe('KEY=VALUE');

const CONTAINER_ERRORS = ['NotFound', ...ENGINE_ERRORS] as const;

export const CONTAINER_METHODS = {
  'container.list': defineMethod({
    name: 'container.list',
    summary: 'Every container of every pod (or of one pod), infra included.',
    params: params({pod: podRef.exactOptional().describe('only the containers of this pod')}),
    result: z.object({containers: z.array(containerView).readonly()}),
    hints: READ,
    errors: CONTAINER_ERRORS,
    async handle(p, ctx) {
      const engine = await ctx.engine();
      return {containers: await engine.listContainers({signal: ctx.signal, ...compact({pod: p.pod})})};
    },
  }),

  'container.inspect': defineMethod({
    name: 'container.inspect',
    summary:
      "One container: its view and Docker's inspect (secret env values masked), or with format: bcs the seed's BcsContainerInfo JSON.",
    params: params({
      ref: containerRef,
      format: z.enum(['docker', 'bcs']).exactOptional().describe('docker (default) or bcs'),
    }),
    result: z.object({
      container: containerView,
      details: containerDetails.exactOptional().describe('format docker'),
      bcs: bcsInfo.exactOptional().describe('format bcs'),
    }),
    hints: READ,
    errors: CONTAINER_ERRORS,
    async handle(p, ctx) {
      const engine = await ctx.engine();
      const container = await engine.getContainer(p.ref, {signal: ctx.signal});
      if (p.format === 'bcs') {
        return {container, bcs: toBcsInfoJson(await engine.inspectContainerBcs(p.ref, {signal: ctx.signal}))};
      }
      // The engine masks the secret env values (all of them when no spec says which).
      return {container, details: await engine.inspectContainer(p.ref, {signal: ctx.signal})};
    },
  }),

  'container.start': defineMethod({
    name: 'container.start',
    summary: 'Starts one container of a pod (its infra must be running).',
    params: params({ref: containerRef}),
    result: changedResult,
    hints: CHANGE_IDEMPOTENT,
    errors: ['NotFound', 'InvalidState', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).startContainer(p.ref, {signal: ctx.signal});
    },
  }),

  'container.stop': defineMethod({
    name: 'container.stop',
    summary: 'Stops one container with its grace period (or graceSeconds).',
    params: params({ref: containerRef, graceSeconds: graceSeconds.exactOptional()}),
    result: changedResult,
    hints: DESTROY,
    errors: CONTAINER_ERRORS,
    async handle(p, ctx) {
      return (await ctx.engine()).stopContainer(p.ref, {
        signal: ctx.signal,
        ...compact({graceSeconds: p.graceSeconds}),
      });
    },
  }),

  'container.kill': defineMethod({
    name: 'container.kill',
    summary: 'Sends a signal (default SIGKILL) to one container.',
    params: params({ref: containerRef, signal: killSignal.exactOptional()}),
    result: changedResult,
    hints: {readOnly: false, destructive: true, idempotent: false},
    errors: ['NotFound', 'InvalidState', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).killContainer(p.ref, {
        signal: ctx.signal,
        ...compact({killSignal: p.signal}),
      });
    },
  }),

  'container.restart': defineMethod({
    name: 'container.restart',
    summary: 'Restarts one container.',
    params: params({ref: containerRef, graceSeconds: graceSeconds.exactOptional()}),
    result: changedResult,
    hints: {readOnly: false, destructive: true, idempotent: false},
    errors: ['NotFound', 'InvalidState', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).restartContainer(p.ref, {
        signal: ctx.signal,
        ...compact({graceSeconds: p.graceSeconds}),
      });
    },
  }),

  'container.remove': defineMethod({
    name: 'container.remove',
    summary: 'Removes one container of a pod (the pod then shows it as removed).',
    params: params({ref: containerRef, force: force.exactOptional()}),
    result: changedResult,
    hints: DESTROY,
    errors: ['InvalidState', ...CONTAINER_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).removeContainer(p.ref, {signal: ctx.signal, ...compact({force: p.force})});
    },
  }),

  'container.exec': defineMethod({
    name: 'container.exec',
    summary:
      'Runs a command in a container and answers with its exit code and output (capped at maxOutputBytes; timeoutMs kills it). Cancelling kills the process.',
    params: params({
      ref: containerRef,
      cmd: z.array(z.string()).min(1).describe('argv, no shell: ["sh", "-c", "..."] for one'),
      env: z.array(envEntry).exactOptional(),
      workingDir: z.string().min(1).exactOptional(),
      user: z.string().min(1).exactOptional(),
      privileged: z.boolean().exactOptional().describe('needs --allow-privileged'),
      timeoutMs: timeoutMs.exactOptional(),
      maxOutputBytes: z
        .int()
        .min(1)
        .max(64 * 1024 * 1024)
        .exactOptional()
        .describe('cap per stream; default 16 MiB (64 KiB for agents)'),
    }),
    result: execCallResult,
    hints: CHANGE,
    errors: ['NotFound', 'InvalidState', 'Forbidden', 'Timeout', ...ENGINE_ERRORS],
    policy: (p, ctx) => {
      checkPrivileged(p.privileged, ctx.policy, 'privileged');
    },
    async handle(p, ctx) {
      const engine = await ctx.engine();
      const {ref, ...options} = p;
      if (ctx.face === 'mcp') return execForAgents(engine, ref, options, ctx.signal);
      return engine.exec(ref, {signal: ctx.signal, ...options});
    },
  }),

  'container.upload': defineMethod({
    name: 'container.upload',
    summary:
      'Copies a host file or directory (source, under an --allow-bind root) or given content into a container at dest.',
    params: params({
      ref: containerRef,
      dest: z
        .string()
        .startsWith('/', {error: 'must be an absolute path'})
        .describe('absolute path in the container'),
      source: z
        .string()
        .startsWith('/', {error: 'must be an absolute path'})
        .exactOptional()
        .describe('host path (needs --allow-bind)'),
      content: z.string().exactOptional().describe('UTF-8 content of the file'),
      base64: z.base64().exactOptional().describe('the file content, base64'),
      mode: z
        .union([z.int().min(0).max(0o7777), z.string().regex(/^0?[0-7]{3,4}$/)])
        .exactOptional()
        .describe('file mode: a number or an octal string ("0644")'),
    }).refine((p) => [p.source, p.content, p.base64].filter((v) => v !== undefined).length === 1, {
      error: 'give exactly one of source, content, base64',
    }),
    result: changedResult,
    hints: CHANGE_IDEMPOTENT,
    errors: ['NotFound', 'Forbidden', 'InvalidState', ...ENGINE_ERRORS],
    policy: async (p, ctx) => {
      if (p.source !== undefined) await checkHostPath(p.source, ctx.policy, 'source');
    },
    async handle(p, ctx) {
      const mode = typeof p.mode === 'string' ? Number.parseInt(p.mode, 8) : p.mode;
      const content = p.base64 === undefined ? p.content : Buffer.from(p.base64, 'base64');
      return (await ctx.engine()).upload(p.ref, {
        signal: ctx.signal,
        dest: p.dest,
        ...compact({source: p.source, content, mode}),
      });
    },
  }),

  'container.commit': defineMethod({
    name: 'container.commit',
    summary: "Commits a container's file system to an image (push: also push it).",
    params: params({ref: containerRef, image: imageRef, push: z.boolean().exactOptional()}),
    result: z.object({imageId: z.string(), changed}),
    hints: CHANGE,
    errors: ['NotFound', 'Validation', 'ImagePullFailed', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).commit(p.ref, {
        signal: ctx.signal,
        image: p.image,
        ...compact({push: p.push}),
      });
    },
  }),

  'container.update': defineMethod({
    name: 'container.update',
    summary: "Changes one container's CPU and memory requests and limits.",
    params: params({ref: containerRef, ...resourceFields}).refine(hasResource, AT_LEAST_ONE_RESOURCE),
    result: changedResult,
    hints: CHANGE_IDEMPOTENT,
    errors: ['NotFound', 'Validation', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      const {ref, ...resources} = p;
      return (await ctx.engine()).updateContainer(ref, resources, {signal: ctx.signal});
    },
  }),

  'container.logs': defineMethod({
    name: 'container.logs',
    summary:
      'Recent log lines of one container (tail, since, grep), capped by maxBytes (truncated, totalLines).',
    params: params({ref: containerRef, ...logReadFields}),
    result: logsResult,
    hints: READ,
    errors: ['NotFound', 'Validation', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      const {ref, ...options} = p;
      return (await ctx.engine()).containerLogs(ref, {
        signal: ctx.signal,
        ...(ctx.face === 'mcp' ? MCP_LOG_DEFAULTS : {}),
        ...options,
      });
    },
  }),

  'container.stats': defineMethod({
    name: 'container.stats',
    summary: 'One resource sample of a container, with CPU and memory percentages.',
    params: params({ref: containerRef}),
    result: statsView,
    hints: READ,
    errors: ['NotFound', 'InvalidState', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).containerStats(p.ref, {signal: ctx.signal});
    },
  }),

  'container.top': defineMethod({
    name: 'container.top',
    summary: 'The processes running in a container (ps).',
    params: params({
      ref: containerRef,
      psArgs: z.string().min(1).exactOptional().describe('ps options, default -ef'),
    }),
    result: topResult,
    hints: READ,
    errors: ['NotFound', 'InvalidState', ...ENGINE_ERRORS],
    async handle(p, ctx) {
      return (await ctx.engine()).topContainer(p.ref, {signal: ctx.signal, ...compact({psArgs: p.psArgs})});
    },
  }),
};
