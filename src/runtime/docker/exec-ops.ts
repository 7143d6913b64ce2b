import {PassThrough, Writable, type Duplex, type Readable} from 'node:stream';
import type {CallOptions, ExecCreateSpec, ExecDetails, ExecSession, ExecStartOptions} from '../port.js';
import {compact, str} from './json.js';
import {seg, type DockerContext} from './docker-context.js';
import {fromExecInspect} from './from-exec.js';

const exec = (ref: string) => ({resource: 'exec' as const, ref});

/** `POST /containers/{id}/exec`; stdout and stderr are always attached, stdin only when asked. */
export function createExec(
  ctx: DockerContext,
  containerId: string,
  spec: ExecCreateSpec,
  options: CallOptions = {},
): Promise<string> {
  return ctx.call({resource: 'container', ref: containerId}, options.signal, async (api) => {
    const json = await api.json({
      method: 'POST',
      path: `/containers/${seg(containerId)}/exec`,
      body: compact({
        AttachStdin: spec.attachStdin ?? false,
        AttachStdout: true,
        AttachStderr: true,
        Tty: spec.tty ?? false,
        Cmd: [...spec.cmd],
        Env: spec.env === undefined ? undefined : [...spec.env],
        User: spec.user,
        WorkingDir: spec.workingDir,
        Privileged: spec.privileged,
      }),
      signal: options.signal,
    });
    return str(json, 'Id');
  });
}

/**
`POST /exec/{id}/start`, attached. Without a TTY the stream is multiplexed and split by docker-modem's
demuxStream into two PassThroughs; with one, the raw stream is stdout and stderr ends at once. Only a
session that asked for stdin hijacks the connection (the seed sent an empty stdin to every command).
*/
export function startExec(
  ctx: DockerContext,
  execId: string,
  options: ExecStartOptions = {},
): Promise<ExecSession> {
  const tty = options.tty ?? false;
  return ctx.call(exec(execId), options.signal, async (api, client) => {
    const request = {
      method: 'POST' as const,
      path: `/exec/${seg(execId)}/start`,
      body: {Detach: false, Tty: tty},
      signal: options.signal,
    };
    const source: Readable | Duplex =
      options.stdin === true ? await api.hijack(request) : await api.stream(request);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    if (tty) {
      source.pipe(stdout);
      stderr.end();
    } else {
      client.docker.modem.demuxStream(source, stdout, stderr);
    }
    const ended = new Promise<void>((resolve) => {
      const finish = () => {
        if (!stdout.writableEnded) stdout.end();
        if (!stderr.writableEnded) stderr.end();
        options.signal?.removeEventListener('abort', abort);
        resolve();
      };
      source.once('end', finish);
      source.once('close', finish);
      // A reset connection ends the session too; its exit code is still read with inspectExec.
      source.once('error', finish);
    });
    const abort = () => source.destroy();
    options.signal?.addEventListener('abort', abort, {once: true});
    return {
      id: execId,
      stdout,
      stderr,
      stdin: options.stdin === true ? stdinOf(source as Duplex) : null,
      ended,
      close: () => source.destroy(),
    };
  });
}

/** A Writable over the hijacked socket whose end half-closes it, which is how the process sees EOF. */
function stdinOf(socket: Duplex): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end();
      callback();
    },
  });
}

export function inspectExec(
  ctx: DockerContext,
  execId: string,
  options: CallOptions = {},
): Promise<ExecDetails> {
  return ctx.call(exec(execId), options.signal, async (api) =>
    fromExecInspect(
      await api.json({method: 'GET', path: `/exec/${seg(execId)}/json`, signal: options.signal}),
    ),
  );
}

export function resizeExec(
  ctx: DockerContext,
  execId: string,
  size: {readonly rows: number; readonly cols: number},
  options: CallOptions = {},
): Promise<void> {
  return ctx.call(exec(execId), options.signal, async (api) => {
    await api.json({
      method: 'POST',
      path: `/exec/${seg(execId)}/resize`,
      query: {h: size.rows, w: size.cols},
      signal: options.signal,
    });
  });
}
