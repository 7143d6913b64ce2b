/**
Server-to-client notifications: names and payload schemas, for rpc.discover, docs/protocol.md and the typed
client. Every subscription notification carries its `subscriptionId`; `dropped` says how many notifications
(or log lines) of that subscription were dropped for a slow client just before this one.
*/
import {z} from 'zod';
import {containerView, logLine, podStatus, podView, statsView} from './schema/views.js';

const subscriptionId = z.string().describe('the id the *.subscribe call returned');
const at = z.string().describe('RFC 3339, when the server saw it');
const dropped = z
  .int()
  .min(1)
  .exactOptional()
  .describe(
    'notifications of this subscription dropped just before this one (slow client); re-list to resync',
  );
const errorInfo = z
  .object({message: z.string(), data: z.record(z.string(), z.unknown())})
  .exactOptional()
  .describe('why the stream failed (reason error): the error as a request would have answered it');
const endReason = z
  .enum(['ended', 'unsubscribed', 'error', 'closed'])
  .describe(
    'ended: the stream finished (the container was removed); unsubscribed; error; closed: the server is closing',
  );

export const NOTIFICATIONS = {
  'pod/statusChanged': {
    summary: "A pod's status changed (events.subscribe).",
    params: z.object({subscriptionId, pod: podView, previous: podStatus.nullable(), at, dropped}),
  },
  'pod/removed': {
    summary: 'A pod was removed (events.subscribe).',
    params: z.object({subscriptionId, name: z.string(), id: z.string(), at, dropped}),
  },
  'container/statusChanged': {
    summary:
      "A container's Docker status changed; `action` is Docker's (die, start, oom, destroy, ...) or reconcile (events.subscribe).",
    params: z.object({
      subscriptionId,
      pod: z.string(),
      container: containerView,
      previous: z.string().nullable(),
      action: z.string(),
      at,
      dropped,
    }),
  },
  'container/healthChanged': {
    summary: "A container's health check result flipped (events.subscribe).",
    params: z.object({
      subscriptionId,
      pod: z.string(),
      container: containerView,
      previous: z.boolean().nullable(),
      healthy: z.boolean().nullable(),
      at,
      dropped,
    }),
  },
  'engine/connectionChanged': {
    summary:
      'The connection to the container engine was lost or restored (events.subscribe); after a reconnect (resyncRequired) re-list.',
    params: z.object({
      subscriptionId,
      connected: z.boolean(),
      endpoint: z.string(),
      apiVersion: z.string(),
      error: z.string().exactOptional(),
      resyncRequired: z.boolean(),
      at,
      dropped,
    }),
  },
  'logs/data': {
    summary: 'Log lines (logs.subscribe): line-buffered, stdout and stderr apart, following across restarts.',
    params: z.object({
      subscriptionId,
      lines: z.array(logLine),
      dropped: z
        .int()
        .min(1)
        .exactOptional()
        .describe('lines dropped just before these (the client read too slowly)'),
    }),
  },
  'logs/end': {
    summary: 'A log subscription ended.',
    params: z.object({
      subscriptionId,
      reason: endReason,
      dropped: z.int().min(1).exactOptional(),
      error: errorInfo,
    }),
  },
  'stats/sample': {
    summary:
      'Resource samples with computed CPU and memory percentages (stats.subscribe); the latest per container when the client is slow.',
    params: z.object({
      subscriptionId,
      samples: z.array(statsView),
      coalesced: z
        .int()
        .min(1)
        .exactOptional()
        .describe('older samples replaced by these (the client read too slowly)'),
    }),
  },
  'stats/end': {
    summary: 'A stats subscription ended.',
    params: z.object({subscriptionId, reason: endReason, error: errorInfo}),
  },
  '$/progress': {
    summary:
      'LSP work-done progress of image.pull, pod.create and pod.apply when the request carried a workDoneToken.',
    params: z.object({
      token: z.union([z.string(), z.int()]),
      value: z.object({
        kind: z.enum(['begin', 'report', 'end']),
        title: z.string().exactOptional(),
        message: z.string().exactOptional(),
        percentage: z.number().exactOptional(),
      }),
    }),
  },
} as const;

export type NotificationName = keyof typeof NOTIFICATIONS;

/** Payload type of each notification, for the typed client. */
export type NotificationParams = {[K in NotificationName]: z.output<(typeof NOTIFICATIONS)[K]['params']>};
