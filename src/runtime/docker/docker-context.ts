import type {ApiClient} from './api-client.js';
import type {DockerConnection, NegotiatedClient} from './connection.js';
import {mapDockerError, type ErrorContext} from './map-error.js';

/** What an operation is about, for error mapping (the endpoint and signal are added here). */
export type Subject = Omit<ErrorContext, 'endpoint' | 'signal'>;

/**
The seam every operation module goes through: it gets the negotiated client (negotiating first when needed),
runs the call, and turns whatever is thrown into an EngineError. An ENGINE_UNAVAILABLE drops the client so
the next call negotiates again.
*/
export class DockerContext {
  readonly #connection: DockerConnection;

  constructor(connection: DockerConnection) {
    this.#connection = connection;
  }

  get endpoint(): string {
    return this.#connection.target.endpoint;
  }

  get connection(): DockerConnection {
    return this.#connection;
  }

  /** Runs `fn` against the client; errors come out mapped. */
  async call<T>(
    subject: Subject,
    signal: AbortSignal | undefined,
    fn: (api: ApiClient, client: NegotiatedClient) => Promise<T>,
  ): Promise<T> {
    try {
      const client = await this.#connection.client(signal);
      return await fn(client.api, client);
    } catch (error) {
      throw this.fail(error, subject, signal);
    }
  }

  /** Maps an error thrown outside `call` (inside a stream being read) and notes a lost engine. */
  fail(error: unknown, subject: Subject, signal: AbortSignal | undefined) {
    const mapped = mapDockerError(error, {...subject, endpoint: this.endpoint, signal});
    this.#connection.noteFailure(mapped);
    return mapped;
  }
}

/** Encodes one path segment (container ids and names, exec and network ids). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

/**
Encodes an image reference for a path: Docker routes `/images/{name:.*}/json`, so the slashes of
`registry:5000/team/app:tag` must stay as they are; everything else unusual is escaped.
*/
export function imageSeg(ref: string): string {
  return encodeURI(ref).replace(/[?#]/g, encodeURIComponent);
}
