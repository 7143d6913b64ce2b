/**
The HTTP probe: GET `<scheme>://<host>:<port><path>`, following redirects, healthy iff the final status is
200-399 (seed-spec §5). Unlike the seed, the timeout covers the whole probe (connect, redirects, headers) and is
always set: validation refuses a zero timeout, which in the seed meant "wait forever".
*/
import * as http from 'node:http';
import * as https from 'node:https';
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

export interface HttpProbeTarget {
  /** Default `http`. */
  readonly scheme?: 'http' | 'https';
  /** An IP address or host name; IPv6 literals without brackets. */
  readonly host: string;
  readonly port: number;
  /** Default `/`; may carry a query string. */
  readonly path?: string;
}

/** As Go's http.Client, which the seed used: ten redirects are followed, an eleventh fails the probe. */
export const MAX_HTTP_REDIRECTS = 10;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

interface ResponseHead {
  readonly status: number;
  readonly statusText: string;
  readonly location: string | undefined;
}

/** Builds the probe URL; the path is appended as text so `//x` stays a path instead of becoming a host. */
export function httpProbeUrl(target: HttpProbeTarget): URL {
  const host = target.host.includes(':') && !target.host.startsWith('[') ? `[${target.host}]` : target.host;
  return new URL(`${target.scheme ?? 'http'}://${host}:${target.port}${target.path ?? '/'}`);
}

function requestHead(url: URL, signal: AbortSignal): Promise<ResponseHead> {
  return new Promise<ResponseHead>((resolve, reject) => {
    const options: https.RequestOptions = {
      method: 'GET',
      signal,
      // A fresh connection per probe, closed after the status line: a health probe must not reuse a socket
      // that a previous probe left in an unknown state.
      agent: false,
      headers: {'user-agent': 'bcs-executor-health', accept: '*/*', connection: 'close'},
    };
    const onResponse = (response: http.IncomingMessage): void => {
      resolve({
        status: response.statusCode ?? 0,
        statusText: response.statusMessage ?? '',
        location: response.headers.location,
      });
      // Only the status decides health; the body is not read, so a slow or endless body cannot hang the probe.
      response.destroy();
    };
    const request =
      url.protocol === 'https:'
        ? // Containers serve self-signed certificates; like Kubernetes' HTTPS probes, this checks liveness, not
          // identity, so the certificate is not verified.
          https.request(url, {...options, rejectUnauthorized: false}, onResponse)
        : http.request(url, options, onResponse);
    request.on('error', reject);
    request.end();
  });
}

function statusLine(head: ResponseHead, redirects: number): string {
  const line = `HTTP ${head.status}${head.statusText === '' ? '' : ` ${head.statusText}`}`;
  if (redirects === 0) return line;
  return `${line} after ${redirects} redirect${redirects === 1 ? '' : 's'}`;
}

/** Probes `target` over HTTP(S). Rejects only with CANCELLED when `options.signal` fires. */
export async function httpProbe(target: HttpProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const {signal, timeoutMs} = options;
  if (signal?.aborted) throw probeCancelled(signal);
  const startedAt = probeStart();
  const fail = (output: string): ProbeResult => ({ok: false, output, durationMs: elapsedMs(startedAt)});
  const deadline = startDeadline(timeoutMs, signal);
  try {
    let url = httpProbeUrl(target);
    for (let redirects = 0; ; redirects++) {
      const head = await requestHead(url, deadline.signal);
      if (!REDIRECT_STATUSES.has(head.status) || head.location === undefined) {
        const ok = head.status >= 200 && head.status <= 399;
        return {ok, output: statusLine(head, redirects), durationMs: elapsedMs(startedAt)};
      }
      if (redirects === MAX_HTTP_REDIRECTS) return fail(`stopped after ${MAX_HTTP_REDIRECTS} redirects`);
      let next: URL;
      try {
        next = new URL(head.location, url);
      } catch {
        return fail(`HTTP ${head.status} with an invalid Location: ${head.location}`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return fail(`HTTP ${head.status} redirects to an unsupported scheme: ${next.protocol}`);
      }
      url = next;
    }
  } catch (error) {
    if (signal?.aborted) throw probeCancelled(signal);
    if (deadline.timedOut) return fail(timedOutOutput(timeoutMs));
    return fail(errorOutput(error));
  } finally {
    deadline.dispose();
  }
}
