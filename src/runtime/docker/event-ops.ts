import type {IncomingMessage} from 'node:http';
import {EngineError} from '../../errors.js';
import type {EventsOptions, RuntimeEvent} from '../port.js';
import type {DockerContext} from './docker-context.js';
import {eventFilters, parseEvent} from './from-event.js';
import {JsonValueSplitter} from './json-stream.js';
import {fromPodmanEvent, hasLabels, toPodmanEventFilters} from './podman-compat.js';

/**
`GET /events` as RuntimeEvents. It ends quietly when the signal fires; any other end (the daemon stopped or
the socket broke) throws ENGINE_UNAVAILABLE, because an event stream without `until` never ends by itself
and the watcher must know to reconnect and reconcile.
*/
export async function* events(ctx: DockerContext, options: EventsOptions): AsyncGenerator<RuntimeEvent> {
  const {signal} = options;
  if (signal.aborted) return;
  const subject = {resource: 'container' as const, ref: ''};
  let stream: IncomingMessage;
  let podman = false;
  let labelKeys: readonly string[] = [];
  try {
    stream = await ctx.call(subject, signal, (api, client) => {
      podman = client.flavor === 'podman';
      const translated = podman ? toPodmanEventFilters(options) : {options, labelKeys: []};
      labelKeys = translated.labelKeys;
      const filters = eventFilters(translated.options);
      return api.stream({
        method: 'GET',
        path: '/events',
        query: {since: options.since, filters: Object.keys(filters).length > 0 ? filters : undefined},
        signal,
      });
    });
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  const splitter = new JsonValueSplitter();
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (const text of splitter.push(chunk)) {
        const event = parseEvent(text);
        if (event === undefined || !hasLabels(event, labelKeys)) continue;
        yield podman ? fromPodmanEvent(event) : event;
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    const mapped = ctx.fail(error, subject, signal);
    if (mapped.code === 'ENGINE_UNAVAILABLE') throw mapped;
    throw lost(ctx, mapped);
  } finally {
    stream.destroy();
  }
  if (signal.aborted) return;
  throw lost(ctx);
}

function lost(ctx: DockerContext, cause?: unknown): EngineError {
  const error = new EngineError('ENGINE_UNAVAILABLE', `the event stream from ${ctx.endpoint} ended`, {
    details: {endpoint: ctx.endpoint, errno: 'EOF'},
    cause,
  });
  ctx.connection.noteFailure(error);
  return error;
}
