/**
The TCP probe: healthy iff a connection to `<host>:<port>` opens before the timeout; it is closed at once.
*/
import * as net from 'node:net';
import {startDeadline} from './deadline.js';
import {
  elapsedMs,
  errorOutput,
  probeCancelled,
  probeStart,
  timedOutOutput,
  type ProbeOptions,
  type ProbeResult,
} from './probe.js';

export interface TcpProbeTarget {
  readonly host: string;
  readonly port: number;
}

function connect(target: TcpProbeTarget, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = net.connect({host: target.host, port: target.port});
    const onAbort = (): void => {
      socket.destroy();
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, {once: true});
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve();
    });
    // `on`, not `once`: an error after the first must not become an uncaught exception.
    socket.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    });
  });
}

/** Probes `target` with a TCP connect. Rejects only with CANCELLED when `options.signal` fires. */
export async function tcpProbe(target: TcpProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const {signal, timeoutMs} = options;
  if (signal?.aborted) throw probeCancelled(signal);
  const startedAt = probeStart();
  const deadline = startDeadline(timeoutMs, signal);
  try {
    await connect(target, deadline.signal);
    return {ok: true, output: `connected to ${target.host}:${target.port}`, durationMs: elapsedMs(startedAt)};
  } catch (error) {
    if (signal?.aborted) throw probeCancelled(signal);
    const output = deadline.timedOut ? timedOutOutput(timeoutMs) : errorOutput(error);
    return {ok: false, output, durationMs: elapsedMs(startedAt)};
  } finally {
    deadline.dispose();
  }
}
