import Dockerode from 'dockerode';
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

/** Builds the dockerode client for a version; every setting is explicit so DOCKER_* variables cannot leak in. */
export function buildDockerode(target: ResolvedEndpoint, apiVersion: string): Dockerode {
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
    ? new Dockerode({...base, socketPath: target.socketPath, host: undefined, port: undefined})
    : new Dockerode({...base, host: target.host, port: target.port});
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

  constructor(target: ResolvedEndpoint, options: {readonly pingTimeoutMs?: number} = {}) {
    this.target = target;
    this.#pingTimeoutMs = options.pingTimeoutMs;
  }

  /**
  The negotiated client, pinging first when there is none. The shared ping runs without any one caller's
  signal (it has its own timeout), so a caller that gives up does not fail the others waiting on it.
  */
  client(signal?: AbortSignal): Promise<NegotiatedClient> {
    if (this.#pending === undefined) {
      const pending = this.negotiate();
      this.#pending = pending;
      // A failed negotiation is not cached: the next call tries again.
      pending.catch(() => {
        if (this.#pending === pending) this.#pending = undefined;
      });
    }
    return untilAborted(this.#pending, signal);
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
    const docker = buildDockerode(this.target, apiVersion);
    const client: NegotiatedClient = {
      docker,
      api: new ApiClient(docker),
      apiVersion,
      serverApiVersion,
      flavor: ping.libpod ? 'podman' : 'docker',
    };
    this.#pending = Promise.resolve(client);
    return client;
  }

  /** Forgets the client after ENGINE_UNAVAILABLE so the next call re-negotiates. */
  noteFailure(error: unknown): void {
    if (isEngineError(error) && error.code === 'ENGINE_UNAVAILABLE') this.#pending = undefined;
  }
}

/** `work`, or CANCELLED as soon as `signal` fires (the work itself goes on for whoever else awaits it). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted)
    return Promise.reject(new EngineError('CANCELLED', 'operation cancelled', {cause: signal.reason}));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new EngineError('CANCELLED', 'operation cancelled', {cause: signal.reason}));
    signal.addEventListener('abort', onAbort, {once: true});
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
