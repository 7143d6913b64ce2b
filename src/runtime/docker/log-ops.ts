import type {IncomingMessage} from 'node:http';
import type {LogChunk, LogOptions} from '../port.js';
import {bool, obj} from './json.js';
import {FrameDemuxer} from './demux.js';
import {seg, type DockerContext} from './docker-context.js';

/**
`GET /containers/{id}/logs` as chunks. The container's TTY setting decides the format (raw for a TTY, else
multiplexed frames), so it is inspected first. The answer is always read as a stream, followed or not; it
ends when the engine ends it (follow stops when the container does) or, quietly, when the signal fires.
*/
export async function* logs(
  ctx: DockerContext,
  id: string,
  options: LogOptions = {},
): AsyncGenerator<LogChunk> {
  const {signal} = options;
  if (isAborted(signal)) return;
  const subject = {resource: 'container' as const, ref: id};
  let opened: {readonly tty: boolean; readonly stream: IncomingMessage};
  try {
    opened = await ctx.call(subject, signal, async (api) => {
      const details = await api.json({method: 'GET', path: `/containers/${seg(id)}/json`, signal});
      const stream = await api.stream({
        method: 'GET',
        path: `/containers/${seg(id)}/logs`,
        query: {
          follow: options.follow ?? false,
          stdout: options.stdout ?? true,
          stderr: options.stderr ?? true,
          since: options.since,
          until: options.until,
          timestamps: options.timestamps,
          tail: options.tail === undefined ? undefined : String(options.tail),
        },
        signal,
      });
      return {tty: bool(obj(details, 'Config'), 'Tty'), stream};
    });
  } catch (error) {
    if (isAborted(signal)) return;
    throw error;
  }
  const demuxer = new FrameDemuxer();
  try {
    for await (const chunk of opened.stream as AsyncIterable<Buffer>) {
      if (opened.tty) yield {stream: 'stdout', data: chunk};
      else yield* demuxer.push(chunk);
    }
  } catch (error) {
    if (isAborted(signal)) return;
    throw ctx.fail(error, subject, signal);
  } finally {
    opened.stream.destroy();
  }
}

/** Read through a function so the checker does not narrow `aborted` across awaits. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
