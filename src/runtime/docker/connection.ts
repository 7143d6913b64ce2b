import {getMaxListeners, setMaxListeners} from 'node:events';
import type Dockerode from 'dockerode';
import {EngineError, isEngineError} from '../../errors.js';
import {ApiClient} from './api-client.js';
import {MIN_SUPPORTED_API_VERSION, negotiateApiVersion} from './api-version.js';
import type {ResolvedEndpoint} from './endpoint.js';
import {pingEndpoint} from './ping.js';

/** A client bound to one negotiated API version. */
export interface NegotiatedClient {
  readonly docker: Dockerode;
  readonly api: ApiClient;
  /** The version this client speaks (`1.41`). */
  readonly apiVersion: string;
  /** The daemon's own maximum. */
  readonly serverApiVersion: string;
  /** Which engine answered, known from the ping, so operations can smooth over podman's differences. */
  readonly flavor: 'docker' | 'podman';
}

/**
dockerode, loaded on first use: it brings ssh2 and BuildKit's gRPC with it (about 35 ms of start-up), which
`--version`, `--help` and the first `initialize` reply need not wait for.
*/
let dockerode: Promise<typeof Dockerode> | undefined;

function loadDockerode(): Promise<typeof Dockerode> {
  dockerode ??= import('dockerode').then((module) => module.default);
  return dockerode;
}

/** Builds the dockerode client for a version; every setting is explicit so DOCKER_* variables cannot leak in. */
export async function buildDockerode(target: ResolvedEndpoint, apiVersion: string): Promise<Dockerode> {
  const Docker = await loadDockerode();
  const base = {
    version: `v${apiVersion}`,
    protocol: 'http' as const,
    // No client-side timeout: event, log and wait calls legitimately stay open for hours.
    timeout: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    username: undefined,
  };
  return target.kind === 'unix'
    ? new Docker({...base, socketPath: target.socketPath, host: undefined, port: undefined})
    : new Docker({...base, host: target.host, port: target.port});
}

/**
Abort listeners one caller's signal may carry at once before Node warns of a leak. Node's HTTP client adds one
per request in flight, so a caller sending many requests under one signal (a resync inspecting every container,
a pod's members in parallel, a burst of rpc calls under a session's signal) has as many as it has requests: a
fan-out by design, bounded by the requests themselves. The bound still catches a real leak.
*/
export const SIGNAL_FAN_OUT = 1024;

/** The signal's listener limit; 0 is unlimited. */
function maxListenersOf(signal: AbortSignal): number {
  try {
    return getMaxListeners(signal);
  } catch {
    // Node 20 throws here for an EventTarget whose limit was set to 0 (unlimited) instead of answering 0.
    return 0;
  }
}

/** Lets `signal` carry one listener per request in flight (see {@link SIGNAL_FAN_OUT}); never lowers a limit. */
function allowFanOut(signal: AbortSignal): void {
  const max = maxListenersOf(signal);
  if (max !== 0 && max < SIGNAL_FAN_OUT) setMaxListeners(SIGNAL_FAN_OUT, signal);
}

/** The callers waiting on the shared ping under one signal, and the one listener that answers them all. */
interface Waiting {
  readonly rejects: Set<(error: EngineError) => void>;
  readonly onAbort: () => void;
}

function cancelled(signal: AbortSignal): EngineError {
  return new EngineError('CANCELLED', 'operation cancelled', {cause: signal.reason});
}

/**
Negotiates lazily and again after losing the engine: the first call pings, picks the version and builds the
client; a call that finds the engine unavailable drops it, so the next one pings again (the daemon may have
come back as a different version). Concurrent first calls share one ping.
*/
export class DockerConnection {
  readonly target: ResolvedEndpoint;
  readonly #pingTimeoutMs: number | undefined;
  #pending: Promise<NegotiatedClient> | undefined;
  /** The negotiated client once there is one: calls then take it without waiting (or listening) at all. */
  #client: NegotiatedClient | undefined;
  /** Callers waiting for the shared ping, by signal: one abort listener per signal, not one per caller. */
  readonly #waiters = new Map<AbortSignal, Waiting>();

  constructor(target: ResolvedEndpoint, options: {readonly pingTimeoutMs?: number} = {}) {
    this.target = target;
    this.#pingTimeoutMs = options.pingTimeoutMs;
  }

  /**
  The negotiated client, pinging first when there is none. The shared ping runs without any one caller's
  signal (it has its own timeout), so a caller that gives up does not fail the others waiting on it.
  */
  client(signal?: AbortSignal): Promise<NegotiatedClient> {
    if (signal?.aborted === true) return Promise.reject(cancelled(signal));
    // The caller's requests go out under its signal next.
    if (signal !== undefined) allowFanOut(signal);
    if (this.#client !== undefined) return Promise.resolve(this.#client);
    if (this.#pending === undefined) {
      const pending = this.negotiate();
      this.#pending = pending;
      // A failed negotiation is not cached: the next call tries again.
      pending.catch(() => {
        if (this.#pending === pending) this.#pending = undefined;
      });
    }
    return signal === undefined ? this.#pending : this.#untilAborted(this.#pending, signal);
  }

  /** Pings now and replaces the cached client with one for the version the daemon names today. */
  async negotiate(signal?: AbortSignal): Promise<NegotiatedClient> {
    const ping = await pingEndpoint(this.target, {
      signal,
      ...(this.#pingTimeoutMs === undefined ? {} : {timeoutMs: this.#pingTimeoutMs}),
    });
    // Without the header (a proxy, a very old daemon) the oldest version we support is the safe guess.
    const serverApiVersion = ping.apiVersion ?? MIN_SUPPORTED_API_VERSION;
    const apiVersion = negotiateApiVersion(serverApiVersion);
    const docker = await buildDockerode(this.target, apiVersion);
    const client: NegotiatedClient = {
      docker,
      api: new ApiClient(docker),
      apiVersion,
      serverApiVersion,
      flavor: ping.libpod ? 'podman' : 'docker',
    };
    this.#pending = Promise.resolve(client);
    this.#client = client;
    return client;
  }

  /** Forgets the client after ENGINE_UNAVAILABLE so the next call re-negotiates. */
  noteFailure(error: unknown): void {
    if (isEngineError(error) && error.code === 'ENGINE_UNAVAILABLE') {
      this.#pending = undefined;
      this.#client = undefined;
    }
  }

  /**
  `work`, or CANCELLED as soon as `signal` fires (the work itself goes on for whoever else awaits it). Callers
  sharing a signal share one abort listener, removed when the last of them is answered.
  */
  #untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
    let waiting = this.#waiters.get(signal);
    if (waiting === undefined) {
      const rejects = new Set<(error: EngineError) => void>();
      const onAbort = () => {
        this.#waiters.delete(signal);
        const error = cancelled(signal);
        for (const reject of rejects) reject(error);
      };
      waiting = {rejects, onAbort};
      this.#waiters.set(signal, waiting);
      signal.addEventListener('abort', onAbort, {once: true});
    }
    const {rejects, onAbort} = waiting;
    return new Promise<T>((resolve, reject) => {
      const done = () => {
        rejects.delete(reject);
        if (rejects.size > 0 || this.#waiters.get(signal) !== waiting) return;
        this.#waiters.delete(signal);
        signal.removeEventListener('abort', onAbort);
      };
      rejects.add(reject);
      work.then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }
}
