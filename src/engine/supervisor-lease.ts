/**
The supervisor lease: the right to act on a Docker endpoint's pods on the engine's own initiative (restart
policy reactions, health-check restarts, the crash rule, CNI clean-up). Every engine process watches and shows
every pod; only the one holding the lease for the endpoint acts, so two processes (a TUI and an rpc server)
never race each other's reactions. See docs/pods.md, "Supervision".

The default lease is a listening unix socket in Linux's abstract namespace, `\0bcs-executor-supervisor-<hash of
the endpoint>`: binding it is atomic, it needs no file, and the kernel frees it the moment its process exits,
however it exits (a SIGKILL included), so no stale lock can outlive a crashed holder. Elsewhere a socket file
under the temporary directory stands in, taken over when nothing answers on it.
*/
import {createHash} from 'node:crypto';
import {realpathSync, rmSync} from 'node:fs';
import {connect, createServer, type Server, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {requestSuspend, serveConnection, type LeaseHolder} from './lease-channel.js';

export type {LeaseHolder} from './lease-channel.js';

/** The right to act on one endpoint's pods (see the module comment). */
export interface SupervisorLease {
  /** What is leased, for messages (`bcs-executor-supervisor-1a2b3c4d5e6f7a8b`). */
  readonly name: string;
  /**
  Takes the lease when it is free; true while this lease holds it (again true when already held). While held,
  `holder` answers the other engines' requests (lease-channel.ts).
  */
  acquire(holder?: LeaseHolder): Promise<boolean>;
  /** Gives the lease up; nothing when it is not held. */
  release(): Promise<void>;
  /**
  When another engine holds the lease: asks it to hold off its reactions on `pod` (a start is coming) and
  resolves once it does, with the function that ends the request. A no-op when this lease holds it or nobody
  answers. `onLost` is called when a granted suspension ends because the holder went away (not released).
  */
  suspend(pod: string, signal?: AbortSignal, onLost?: () => void): Promise<() => void>;
}

/** The lease name of `endpoint`: one per daemon, whichever way its socket path is written. */
export function leaseNameFor(endpoint: string): string {
  let key = endpoint;
  if (endpoint.startsWith('unix://')) {
    const path = endpoint.slice('unix://'.length);
    try {
      // `/var/run/docker.sock` and `/run/docker.sock` are one daemon.
      key = `unix://${realpathSync(path)}`;
    } catch {
      // No such socket (yet): the path as written still names the endpoint.
    }
  }
  return `bcs-executor-supervisor-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error ? String(error.code) : undefined;
}

/**
Listens on `path`. Node binds a pipe synchronously inside `listen` and only tells of it (or of the failure) on
the next tick, which a busy chain of promises can hold back for long: a bound server is taken at once.
*/
function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({path});
    if (server.listening) {
      server.off('error', onError);
      resolve();
    }
  });
}

/** Whether something accepts connections on the socket file `path` (a live holder, not a stale file). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({path});
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
A lease held by listening on a unix socket: in the abstract namespace on Linux, a socket file under the
temporary directory elsewhere. The socket also carries the other engines' requests to the holder
(lease-channel.ts); a client connecting to it first reads the holder's pid.
*/
export function socketLease(name: string): SupervisorLease {
  const abstract = process.platform === 'linux';
  const path = abstract ? `\0${name}` : join(tmpdir(), `${name}.sock`);
  let server: Server | undefined;
  let pending: Promise<boolean> | undefined;
  let holder: LeaseHolder | undefined;
  /** Open requests: giving the lease up ends them (their suspensions end with the holder). */
  const connections = new Set<Socket>();

  const attempt = async (): Promise<boolean> => {
    const candidate = createServer((socket) => {
      connections.add(socket);
      socket.on('close', () => connections.delete(socket));
      serveConnection(socket, holder);
    });
    try {
      await listen(candidate, path);
    } catch (error) {
      candidate.close();
      if (errorCode(error) !== 'EADDRINUSE') throw error;
      // A socket file left by a holder that crashed answers nothing: take its place.
      if (abstract || (await answers(path))) return false;
      rmSync(path, {force: true});
      return attempt();
    }
    // The lease must not keep a process alive that has nothing else to do.
    candidate.unref();
    candidate.on('error', () => undefined);
    server = candidate;
    return true;
  };

  return {
    name,
    acquire(answering) {
      holder = answering;
      if (server !== undefined) return Promise.resolve(true);
      pending ??= attempt().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    async release() {
      await pending?.catch(() => false);
      const held = server;
      server = undefined;
      if (held === undefined) return;
      const closed = new Promise<void>((resolve) => held.close(() => resolve()));
      for (const socket of connections) socket.destroy();
      await closed;
    },
    suspend(pod, signal, onLost) {
      // This engine holds it: its own starts supersede its reactions in process.
      if (server !== undefined) return Promise.resolve(() => undefined);
      return requestSuspend(path, pod, signal, onLost);
    },
  };
}

/**
A lease no other engine contends for: its engine always supervises, as every engine did before leases. For
tests that need their own engine to act whatever else runs on the host.
*/
export function privateLease(name = 'private'): SupervisorLease {
  return {
    name,
    acquire: () => Promise.resolve(true),
    release: () => Promise.resolve(),
    suspend: () => Promise.resolve(() => undefined),
  };
}

/** `lease` for an engine that only observes: never taken, while its requests to the holder still go out. */
export function observingLease(lease: SupervisorLease): SupervisorLease {
  return {
    name: lease.name,
    acquire: () => Promise.resolve(false),
    release: () => Promise.resolve(),
    suspend: (pod, signal, onLost) => lease.suspend(pod, signal, onLost),
  };
}
