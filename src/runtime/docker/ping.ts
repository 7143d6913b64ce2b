import {request, type IncomingHttpHeaders} from 'node:http';
import {EngineError} from '../../errors.js';
import type {ResolvedEndpoint} from './endpoint.js';
import {mapDockerError} from './map-error.js';

/** What `/_ping` tells before any version is chosen. */
export interface PingResult {
  /** The daemon's `Api-Version` header; undefined when it sent none. */
  readonly apiVersion: string | undefined;
  /** `Server` header (`Docker/20.10.24 (linux)`, `Libpod/4.3.1 (linux)`). */
  readonly server: string;
  /** True when podman's compat API answered (it adds `Libpod-Api-Version` and names itself `Libpod/...`). */
  readonly libpod: boolean;
}

/** Podman's answer, told from Docker's by the headers every podman response carries. */
function isLibpod(headers: IncomingHttpHeaders): boolean {
  return headers['libpod-api-version'] !== undefined || /^libpod\//i.test(String(headers.server ?? ''));
}

/** How long a ping may take before the engine counts as unavailable. */
export const DEFAULT_PING_TIMEOUT_MS = 10_000;

/**
`GET /_ping`, unversioned (it is how a client learns the version), over plain node:http because dockerode
returns only the body and the answer we need is the `Api-Version` header. A refused, missing or silent
socket is ENGINE_UNAVAILABLE.
*/
export function pingEndpoint(
  target: ResolvedEndpoint,
  options: {readonly signal?: AbortSignal | undefined; readonly timeoutMs?: number} = {},
): Promise<PingResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline]);
  const location =
    target.kind === 'unix' ? {socketPath: target.socketPath} : {host: target.host, port: target.port};
  return new Promise<PingResult>((resolve, reject) => {
    const fail = (error: unknown) => {
      if (deadline.aborted && options.signal?.aborted !== true) {
        reject(
          new EngineError(
            'ENGINE_UNAVAILABLE',
            `the container engine at ${target.endpoint} did not answer in ${timeoutMs} ms`,
            {
              details: {endpoint: target.endpoint, errno: 'ETIMEDOUT', timeoutMs},
              cause: error,
            },
          ),
        );
        return;
      }
      reject(mapDockerError(error, {endpoint: target.endpoint, signal: options.signal}));
    };
    const req = request({...location, path: '/_ping', method: 'GET', signal}, (res) => {
      res.resume();
      res.on('error', fail);
      res.on('end', () => {
        const header = res.headers['api-version'];
        const apiVersion = Array.isArray(header) ? header[0] : header;
        const status = res.statusCode ?? 0;
        // A daemon still starting may answer 500 but already names its version; that is enough to talk.
        const answer = {apiVersion, server: String(res.headers.server ?? ''), libpod: isLibpod(res.headers)};
        if (status >= 200 && status < 300) {
          resolve(answer);
        } else if (apiVersion !== undefined) {
          resolve(answer);
        } else {
          reject(
            new EngineError(
              'ENGINE_ERROR',
              `the engine at ${target.endpoint} answered /_ping with HTTP ${status}`,
              {
                details: {statusCode: status, engineMessage: ''},
              },
            ),
          );
        }
      });
    });
    req.on('error', fail);
    req.end();
  });
}
