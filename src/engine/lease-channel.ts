/**
What engines say to the supervisor over its lease socket (newline-delimited JSON). The holder greets every
connection with `{"pid": N}`. An engine about to start a pod sends `{"suspend": "<pod>"}`: the holder drops its
pending reactions on that pod, lets the one under way stop before its next step, answers
`{"suspended": "<pod>"}`, and reacts to nothing on that pod while the connection stays open (at most two
minutes). The starter starts the pod, then closes the connection; a starter that dies closes it too. So a start
made by any engine wins over the supervisor's reactions, as one made by the supervisor itself does.
*/
import {connect, type Socket} from 'node:net';

/** What the lease holder does for other engines. */
export interface LeaseHolder {
  /** Holds off reactions on `pod` until the returned function is called; resolves once none runs. */
  suspend(pod: string): Promise<() => void>;
}

/** How long a starter waits for the holder's answer before it starts anyway. */
export const SUSPEND_ANSWER_TIMEOUT_MS = 60_000;
/** A suspension ends after this at the latest, whatever the starter does. */
export const SUSPEND_MAX_MS = 120_000;
/** A request line longer than this is not one (the connection is dropped). */
const MAX_LINE = 64 * 1024;

function noop(): void {
  // Nothing to release.
}

/** What a suspend request resolves to when nobody answered it (no holder, or the caller gave up). */
export function notGranted(): void {
  // Nothing was granted, so nothing to release.
}

/** Splits what arrived into whole lines; undefined when a line grew past MAX_LINE. */
function lines(state: {buffer: string}, chunk: string): string[] | undefined {
  state.buffer += chunk;
  const parts = state.buffer.split('\n');
  state.buffer = parts.pop() ?? '';
  return state.buffer.length > MAX_LINE ? undefined : parts;
}

function field(line: string, key: string): string | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null) return undefined;
    const entry: unknown = (value as Record<string, unknown>)[key];
    return typeof entry === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** The holder's side of one connection (see the module comment). */
export function serveConnection(socket: Socket, holder: LeaseHolder | undefined): void {
  // Like the lease itself, a starter's open request must not keep the holder's process alive.
  socket.unref();
  socket.on('error', noop);
  socket.setEncoding('utf8');
  socket.write(`${JSON.stringify({pid: process.pid})}\n`);
  if (holder === undefined) {
    socket.end();
    return;
  }
  const releases: (() => void)[] = [];
  const releaseAll = () => {
    clearTimeout(timer);
    for (const release of releases.splice(0)) release();
  };
  const timer = setTimeout(() => {
    releaseAll();
    socket.destroy();
  }, SUSPEND_MAX_MS);
  timer.unref();
  socket.on('close', releaseAll);
  const state = {buffer: ''};
  socket.on('data', (chunk: string) => {
    const received = lines(state, chunk);
    if (received === undefined) {
      socket.destroy();
      return;
    }
    for (const line of received) {
      const pod = field(line, 'suspend');
      if (pod === undefined) continue;
      void holder.suspend(pod).then((release) => {
        if (socket.destroyed) {
          release();
          return;
        }
        releases.push(release);
        socket.write(`${JSON.stringify({suspended: pod})}\n`);
      });
    }
  });
}

/**
Asks the holder listening on `path` to suspend its reactions on `pod`; resolves with the function that ends
the suspension once the holder answered, or with a no-op when nobody listens, an older holder does not
understand, the answer takes too long or `signal` fires (the start then goes ahead regardless).
*/
export function requestSuspend(
  path: string,
  pod: string,
  signal?: AbortSignal,
  onLost?: () => void,
): Promise<() => void> {
  return new Promise((resolve) => {
    const socket = connect({path});
    let settled = false;
    let granted = false;
    let ended = false;
    const settle = (release: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', giveUp);
      resolve(release);
    };
    const giveUp = () => {
      socket.destroy();
      settle(notGranted);
    };
    // The holder went away (gave the lease up, or died) while the suspension was on: whoever holds the lease
    // next knows nothing of this start, so the starter must ask again.
    socket.on('close', () => {
      if (granted && !ended) onLost?.();
    });
    const timer = setTimeout(giveUp, SUSPEND_ANSWER_TIMEOUT_MS);
    timer.unref();
    if (signal?.aborted === true) giveUp();
    signal?.addEventListener('abort', giveUp, {once: true});
    socket.setEncoding('utf8');
    socket.on('error', giveUp);
    socket.on('close', giveUp);
    socket.on('connect', () => socket.write(`${JSON.stringify({suspend: pod})}\n`));
    const state = {buffer: ''};
    socket.on('data', (chunk: string) => {
      const received = lines(state, chunk);
      if (received === undefined) {
        giveUp();
        return;
      }
      if (!settled && received.some((line) => field(line, 'suspended') === pod)) {
        granted = true;
        settle(() => {
          ended = true;
          socket.end();
        });
      }
    });
  });
}
