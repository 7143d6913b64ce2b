import type {IncomingMessage} from 'node:http';
import type {Duplex, Readable} from 'node:stream';
import type Dockerode from 'dockerode';
import type {RegistryAuth} from '../port.js';
import {throwIfAborted} from '../../errors.js';

/**
A query value; undefined ones are left out, objects go out as JSON (Docker's `filters`), arrays as the key
repeated (`changes=a&changes=b`).
*/
export type QueryValue =
  string | number | boolean | undefined | readonly string[] | Readonly<Record<string, unknown>>;

/** One Engine API call, in the adapter's terms. `path` is unversioned: the client adds `/v1.xx`. */
export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** JSON body (POST). */
  readonly body?: Readonly<Record<string, unknown>>;
  /** Send the body even when it is `{}` (docker-modem drops an empty one; podman's commit needs it). */
  readonly allowEmptyBody?: boolean;
  /** Raw body (tar for archive and build). */
  readonly file?: Buffer | Readable;
  readonly headers?: Readonly<Record<string, string>>;
  readonly auth?: RegistryAuth;
  readonly signal?: AbortSignal | undefined;
}

/** Statuses that count as success; anything else becomes an Error carrying `statusCode` and `json`. */
const OK: Readonly<Record<number, true>> = {200: true, 201: true, 204: true};

/**
A typed, promise-based face over docker-modem's `dial`, which dockerode's own methods wrap. Using it directly
keeps every path and query explicit, lets every call take an AbortSignal, and avoids dockerode's habit of
JSON-parsing non-JSON bodies (a log line that happens to be JSON would come back as an object).
*/
export class ApiClient {
  readonly #docker: Dockerode;

  constructor(docker: Dockerode) {
    this.#docker = docker;
  }

  /** A call whose answer is JSON (or empty); resolves with the parsed body, `null` when there is none. */
  async json(request: ApiRequest): Promise<unknown> {
    const result = await this.#dial(request, {isStream: false});
    return Buffer.isBuffer(result) && result.length === 0 ? null : result;
  }

  /** A call whose answer is read as a stream (logs, events, archive, progress, HEAD for headers). */
  async stream(request: ApiRequest): Promise<IncomingMessage> {
    return (await this.#dial(request, {isStream: true})) as IncomingMessage;
  }

  /** A hijacked connection (exec with stdin): the raw socket after Docker's `101 UPGRADED`. */
  async hijack(request: ApiRequest): Promise<Duplex> {
    return (await this.#dial(request, {isStream: true, hijack: true, openStdin: true})) as Duplex;
  }

  #dial(
    request: ApiRequest,
    mode: {readonly isStream: boolean; readonly hijack?: boolean; readonly openStdin?: boolean},
  ): Promise<unknown> {
    throwIfAborted(request.signal);
    const query: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) query[key] = typeof value === 'boolean' ? (value ? '1' : '0') : value;
    }
    // docker-modem appends the query (from `_query`) only to a path containing '?', and takes a POST body
    // from `_body`; an empty body is not sent at all.
    const options: Record<string, unknown> = {_query: query, _body: request.body ?? {}};
    const dialOptions: Parameters<Dockerode['modem']['dial']>[0] = {
      path: Object.keys(query).length > 0 ? `${request.path}?` : request.path,
      method: request.method,
      options,
      isStream: mode.isStream,
      statusCodes: OK,
      ...(request.file === undefined ? {} : {file: request.file}),
      ...(request.headers === undefined ? {} : {headers: {...request.headers}}),
      ...(request.auth === undefined ? {} : {authconfig: {...request.auth}}),
      ...(request.signal === undefined ? {} : {abortSignal: request.signal}),
      ...(request.allowEmptyBody === true ? {allowEmpty: true} : {}),
      ...(mode.hijack === true ? {hijack: true, openStdin: mode.openStdin === true} : {}),
    };
    return new Promise((resolve, reject) => {
      this.#docker.modem.dial(dialOptions, (error, result) => {
        if (error) reject(error);
        else resolve(result);
      });
    });
  }
}
