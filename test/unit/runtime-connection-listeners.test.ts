/**
Many calls under one AbortSignal (an rpc session's, a resync's): no MaxListenersExceededWarning, whether they
wait on the shared first ping or find the client negotiated; one abort listener for all the callers waiting on
the ping, none left behind once they are answered; aborting answers every waiter with CANCELLED at once.
Against a stub Engine API on a unix socket (no Docker).
*/
import {getEventListeners, once, setMaxListeners} from 'node:events';
import {rmSync} from 'node:fs';
import {createServer, type ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import {DockerRuntime} from '../../src/runtime/docker/docker-runtime.js';

interface Stub {
  readonly socket: string;
  pings: number;
  /** Holds `/_ping` answers back until called. */
  holdPings(): () => void;
  close(): Promise<void>;
}

let counter = 0;

async function stub(): Promise<Stub> {
  const socket = join(tmpdir(), `bcs-listeners-${process.pid}-${counter++}.sock`);
  rmSync(socket, {force: true});
  let held: (() => void)[] | undefined;
  const answer = (res: ServerResponse, body: unknown) => {
    res.setHeader('Api-Version', '1.41');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(body));
  };
  const state: Stub = {
    socket,
    pings: 0,
    holdPings() {
      const queue: (() => void)[] = [];
      held = queue;
      return () => {
        held = undefined;
        for (const release of queue) release();
      };
    },
    close: () => Promise.resolve(),
  };
  const server = createServer((req, res) => {
    if (req.url === '/_ping') {
      state.pings++;
      const reply = () => {
        res.setHeader('Api-Version', '1.41');
        res.end('OK');
      };
      if (held === undefined) reply();
      else held.push(reply);
      return;
    }
    if (/\/version$/.test(req.url ?? '')) {
      answer(res, {
        ApiVersion: '1.41',
        MinAPIVersion: '1.12',
        Version: '20.10.24',
        Os: 'linux',
        Arch: 'amd64',
      });
      return;
    }
    res.statusCode = 404;
    answer(res, {message: `page not found: ${req.url ?? ''}`});
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(socket);
  await once(server, 'listening');
  state.close = async () => {
    for (const s of sockets) s.destroy();
    server.close();
    await once(server, 'close');
    rmSync(socket, {force: true});
  };
  return state;
}

/** Process warnings about listeners, from now until the returned function is called. */
function listenerWarnings(): () => Promise<string[]> {
  const seen: string[] = [];
  const onWarning = (warning: Error) => {
    if (warning.name === 'MaxListenersExceededWarning') seen.push(warning.message);
  };
  process.on('warning', onWarning);
  return async () => {
    // Node emits warnings on a later tick.
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off('warning', onWarning);
    return seen;
  };
}

test.serial(
  '200 concurrent calls under one signal, the first negotiation included: no warning, one ping',
  async (t) => {
    const s = await stub();
    t.teardown(() => s.close());
    const runtime = new DockerRuntime({endpoint: `unix://${s.socket}`});
    const {signal} = new AbortController();
    const warnings = listenerWarnings();
    const versions = await Promise.all(Array.from({length: 200}, () => runtime.version({signal})));
    t.deepEqual(await warnings(), []);
    t.true(versions.every((version) => version.apiVersion === '1.41'));
    t.is(s.pings, 1, 'the callers shared one ping');
    t.is(getEventListeners(signal, 'abort').length, 0, 'no listener left behind');

    const again = listenerWarnings();
    await Promise.all(Array.from({length: 200}, () => runtime.version({signal})));
    t.deepEqual(await again(), [], 'negotiated: no warning either');
    t.is(getEventListeners(signal, 'abort').length, 0);
  },
);

test.serial('callers waiting on the shared ping share one listener; an abort answers them all', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  const runtime = new DockerRuntime({endpoint: `unix://${s.socket}`});
  const release = s.holdPings();
  const controller = new AbortController();
  const warnings = listenerWarnings();
  const calls = Array.from({length: 200}, () =>
    runtime.version({signal: controller.signal}).then(
      () => 'resolved',
      (error: unknown) => (isEngineError(error) ? error.code : String(error)),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.is(getEventListeners(controller.signal, 'abort').length, 1, 'one listener for 200 waiters');
  controller.abort();
  t.deepEqual(new Set(await Promise.all(calls)), new Set(['CANCELLED']));
  t.deepEqual(await warnings(), []);
  release();
  // The ping went on for whoever comes next: a caller without a signal gets the negotiated client.
  t.is((await runtime.version()).apiVersion, '1.41');
  t.is(s.pings, 1);
});

test.serial('a signal whose listener limit is already unlimited (0) is left so', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  const runtime = new DockerRuntime({endpoint: `unix://${s.socket}`});
  const signal = AbortSignal.timeout(10_000);
  setMaxListeners(0, signal);
  const warnings = listenerWarnings();
  await Promise.all(Array.from({length: 50}, () => runtime.version({signal})));
  t.deepEqual(await warnings(), []);
  // Still unlimited: 2000 listeners (far past the fan-out bound) raise no warning.
  const warnings2 = listenerWarnings();
  const listeners = Array.from({length: 2000}, () => () => undefined);
  for (const listener of listeners) signal.addEventListener('abort', listener);
  t.is(getEventListeners(signal, 'abort').length, 2000);
  for (const listener of listeners) signal.removeEventListener('abort', listener);
  t.deepEqual(await warnings2(), []);
});
