import type {IncomingMessage} from 'node:http';
import type {CallOptions, StatsSample} from '../port.js';
import {seg, type DockerContext} from './docker-context.js';
import {fromStats} from './from-stats.js';
import {JsonValueSplitter} from './json-stream.js';

/** One sample (`stream=false`): Docker waits for a second collection so `precpu` is filled. */
export function stats(ctx: DockerContext, id: string, options: CallOptions = {}): Promise<StatsSample> {
  return ctx.call({resource: 'container', ref: id}, options.signal, async (api) =>
    fromStats(
      await api.json({
        method: 'GET',
        path: `/containers/${seg(id)}/stats`,
        query: {stream: false},
        signal: options.signal,
      }),
    ),
  );
}

/** Samples as Docker streams them (about one a second); ends when the signal fires or the engine stops sending. */
export async function* statsStream(
  ctx: DockerContext,
  id: string,
  options: {readonly signal: AbortSignal},
): AsyncGenerator<StatsSample> {
  const {signal} = options;
  if (signal.aborted) return;
  const subject = {resource: 'container' as const, ref: id};
  let stream: IncomingMessage;
  try {
    stream = await ctx.call(subject, signal, (api) =>
      api.stream({method: 'GET', path: `/containers/${seg(id)}/stats`, query: {stream: true}, signal}),
    );
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  const splitter = new JsonValueSplitter();
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (const text of splitter.push(chunk)) yield fromStats(JSON.parse(text));
    }
  } catch (error) {
    if (signal.aborted) return;
    throw ctx.fail(error, subject, signal);
  } finally {
    stream.destroy();
  }
}
