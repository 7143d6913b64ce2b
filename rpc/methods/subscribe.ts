/** Subscriptions (rpc face only): events, logs, stats, and their unsubscribe. */
import {z} from 'zod';
import {changedResult, containerRef, params, since, subscriptionId, tail} from '../schema/common.js';
import {connectionState, podView} from '../schema/views.js';
import type {SubscriptionKind} from '../session/subscriptions.js';
import {compact} from './compact.js';
import {defineMethod, ENGINE_ERRORS, READ} from './define.js';
import {requireSession} from './system.js';

const subscribed = z.object({subscriptionId});

function unsubscribe(kind: SubscriptionKind) {
  return defineMethod({
    name: `${kind}.unsubscribe`,
    summary: `Ends ${kind === 'events' ? 'an' : 'a'} ${kind} subscription (changed: false when there was none).`,
    params: params({subscriptionId}),
    result: changedResult,
    hints: READ,
    errors: [],
    rpcOnly: true,
    handle: (p, ctx) =>
      Promise.resolve({changed: requireSession(ctx).subscriptions.unsubscribe(kind, p.subscriptionId)}),
  });
}

export const SUBSCRIBE_METHODS = {
  'events.subscribe': defineMethod({
    name: 'events.subscribe',
    summary:
      'A snapshot of every pod, then pod/statusChanged, pod/removed, container/statusChanged, container/healthChanged and engine/connectionChanged notifications.',
    params: params({pods: z.array(z.string().min(1)).exactOptional().describe('only these pods (names)')}),
    result: z.object({
      subscriptionId,
      pods: z.array(podView).readonly().describe('the snapshot; notifications follow from this state'),
      connection: connectionState,
    }),
    hints: READ,
    errors: [...ENGINE_ERRORS],
    rpcOnly: true,
    async handle(p, ctx) {
      return requireSession(ctx).subscriptions.events(await ctx.engine(), {
        signal: ctx.signal,
        ...compact({pods: p.pods}),
      });
    },
  }),
  'events.unsubscribe': unsubscribe('events'),

  'logs.subscribe': defineMethod({
    name: 'logs.subscribe',
    summary:
      'Follows the logs of a container, or of every app container of a pod: logs/data (line-buffered, demultiplexed, across restarts), then logs/end.',
    params: params({
      ref: containerRef.describe('a container ref, or a pod name for every app container of the pod'),
      tail: tail.exactOptional(),
      since: since.exactOptional(),
      followRestarts: z
        .boolean()
        .exactOptional()
        .describe('re-attach when the container restarts (default true)'),
      maxQueuedLines: z
        .int()
        .min(100)
        .max(1_000_000)
        .exactOptional()
        .describe(
          'lines held for a slow client before the oldest are dropped (default 5000); drops are counted in logs/data',
        ),
    }),
    result: subscribed,
    hints: READ,
    errors: ['NotFound', ...ENGINE_ERRORS],
    rpcOnly: true,
    async handle(p, ctx) {
      const {ref, ...options} = p;
      return requireSession(ctx).subscriptions.logs(await ctx.engine(), ref, {
        signal: ctx.signal,
        ...options,
      });
    },
  }),
  'logs.unsubscribe': unsubscribe('logs'),

  'stats.subscribe': defineMethod({
    name: 'stats.subscribe',
    summary:
      'Samples containers (or every app container of pods) every intervalMs: stats/sample notifications, then stats/end.',
    params: params({
      refs: z.array(containerRef.describe('a container ref or a pod name')).min(1),
      intervalMs: z.int().min(1000).max(3_600_000).exactOptional().describe('default 2000, at least 1000'),
    }),
    result: subscribed,
    hints: READ,
    errors: ['NotFound', ...ENGINE_ERRORS],
    rpcOnly: true,
    async handle(p, ctx) {
      return requireSession(ctx).subscriptions.stats(await ctx.engine(), p.refs, {
        signal: ctx.signal,
        ...compact({intervalMs: p.intervalMs}),
      });
    },
  }),
  'stats.unsubscribe': unsubscribe('stats'),
};
