import {once} from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import {httpProbe, httpProbeUrl, type HttpProbeTarget} from '../../src/health/http-probe.js';
import {tcpProbe} from '../../src/health/tcp-probe.js';

// A self-signed EC certificate for 127.0.0.1 (valid to 2126), made for this test with openssl.
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg2fct1xC+jBt1/89l
fVWV6ieqchkQAaaq9xlYMxsYXvihRANCAARGqVpmobv2Nz2kNVKbgd5dkOHxKbDC
gcb7YEloweJOs/vlN2I4dujtG9mJu2JWS2CtN55pxZN6TnlOYmiiZYQE
-----END PRIVATE KEY-----`;
const CERT = `-----BEGIN CERTIFICATE-----
MIIBkTCCATagAwIBAgIUMQxhHTKizdvU19mvzw6vCydfX2owCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNjIzMTI0MFoYDzIxMjYxMTAy
MjMxMjQwWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARGqVpmobv2Nz2kNVKbgd5dkOHxKbDCgcb7YEloweJOs/vlN2I4dujt
G9mJu2JWS2CtN55pxZN6TnlOYmiiZYQEo2QwYjAdBgNVHQ4EFgQUbNsNIF39ZeRg
P1G24yFwBzgE9l8wHwYDVR0jBBgwFoAUbNsNIF39ZeRgP1G24yFwBzgE9l8wDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC
IQDIWCxGRiR7p8RtpJe4x9GdCi9W/bhplaSf8tUSwnOcsQIhALT8WJq+Om2iOs/G
RiBweSUccFZOWfXys+FUP8fdmfjt
-----END CERTIFICATE-----`;

const requests: string[] = [];

const handler: http.RequestListener = (request, response) => {
  const url = request.url ?? '/';
  requests.push(url);
  const chain = /^\/chain\/(\d+)$/.exec(url);
  if (url === '/ok' || url === '/ok?probe=1') {
    response.end('fine');
  } else if (url === '/redirect') {
    response.writeHead(302, {location: '/ok'}).end();
  } else if (url === '/moved-no-location') {
    response.writeHead(302).end();
  } else if (url === '/loop') {
    response.writeHead(301, {location: '/loop'}).end();
  } else if (chain !== null) {
    const left = Number(chain[1]);
    response.writeHead(left === 0 ? 200 : 307, left === 0 ? {} : {location: `/chain/${left - 1}`}).end();
  } else if (url === '/to-ftp') {
    response.writeHead(302, {location: 'ftp://127.0.0.1/x'}).end();
  } else if (url === '/to-404') {
    response.writeHead(303, {location: '/missing'}).end();
  } else if (url === '/error') {
    response.writeHead(500).end('boom');
  } else if (url === '/endless-body') {
    // Headers now, a body that never ends: the probe must not wait for it.
    response.writeHead(200);
    response.write('partial');
  } else if (url === '/slow') {
    // Never answers; the probe's timeout must fire.
  } else {
    response.writeHead(404).end();
  }
};

const server = http.createServer(handler);
const tlsServer = https.createServer({key: KEY, cert: CERT}, handler);
// Keeps accepted sockets open, so the test sees that the probe (not the server) closes them.
const tcpServer = net.createServer();
let httpPort = 0;
let httpsPort = 0;
let tcpPort = 0;
let closedPort = 0;

function portOf(address: ReturnType<net.Server['address']>): number {
  if (address === null || typeof address === 'string') throw new Error('not a TCP address');
  return address.port;
}

async function listen(target: net.Server): Promise<number> {
  target.listen(0, '127.0.0.1');
  await once(target, 'listening');
  return portOf(target.address());
}

test.before(async () => {
  httpPort = await listen(server);
  httpsPort = await listen(tlsServer);
  tcpPort = await listen(tcpServer);
  // A port that was just free and is closed again: connecting to it is refused.
  const probeServer = net.createServer();
  closedPort = await listen(probeServer);
  await new Promise<void>((resolve) => probeServer.close(() => resolve()));
});

test.after.always(() => {
  for (const each of [server, tlsServer]) {
    each.closeAllConnections();
    each.close();
  }
  tcpServer.close();
});

const target = (path: string, scheme: 'http' | 'https' = 'http'): HttpProbeTarget => ({
  scheme,
  host: '127.0.0.1',
  port: scheme === 'http' ? httpPort : httpsPort,
  path,
});

test('http: 200 is healthy, with the status line as output', async (t) => {
  const result = await httpProbe(target('/ok?probe=1'), {timeoutMs: 2000});
  t.like(result, {ok: true, output: 'HTTP 200 OK'});
  t.true(result.durationMs >= 0 && result.durationMs < 2000);
});

test('http: seed case 46, a 302 followed to a 200 is healthy', async (t) => {
  t.like(await httpProbe(target('/redirect'), {timeoutMs: 2000}), {
    ok: true,
    output: 'HTTP 200 OK after 1 redirect',
  });
});

test('http: 404 and 500 are unhealthy, also after a redirect', async (t) => {
  t.like(await httpProbe(target('/nothing-here'), {timeoutMs: 2000}), {
    ok: false,
    output: 'HTTP 404 Not Found',
  });
  t.like(await httpProbe(target('/error'), {timeoutMs: 2000}), {
    ok: false,
    output: 'HTTP 500 Internal Server Error',
  });
  t.like(await httpProbe(target('/to-404'), {timeoutMs: 2000}), {
    ok: false,
    output: 'HTTP 404 Not Found after 1 redirect',
  });
});

test('http: a 3xx with no Location is a final status in 200-399, so healthy', async (t) => {
  t.like(await httpProbe(target('/moved-no-location'), {timeoutMs: 2000}), {
    ok: true,
    output: 'HTTP 302 Found',
  });
});

test('http: ten redirects are followed, an eleventh fails (as Go did)', async (t) => {
  t.like(await httpProbe(target('/chain/10'), {timeoutMs: 5000}), {
    ok: true,
    output: 'HTTP 200 OK after 10 redirects',
  });
  t.like(await httpProbe(target('/chain/11'), {timeoutMs: 5000}), {
    ok: false,
    output: 'stopped after 10 redirects',
  });
  const before = requests.length;
  t.like(await httpProbe(target('/loop'), {timeoutMs: 5000}), {
    ok: false,
    output: 'stopped after 10 redirects',
  });
  t.is(requests.length - before, 11);
});

test('http: a redirect to another scheme is refused', async (t) => {
  t.like(await httpProbe(target('/to-ftp'), {timeoutMs: 2000}), {
    ok: false,
    output: 'HTTP 302 redirects to an unsupported scheme: ftp:',
  });
});

test('http: the timeout really fires on a server that never answers', async (t) => {
  const started = Date.now();
  const result = await httpProbe(target('/slow'), {timeoutMs: 200});
  const elapsed = Date.now() - started;
  t.like(result, {ok: false, output: 'timed out after 200 ms'});
  t.true(elapsed >= 190 && elapsed < 3000, `took ${elapsed} ms`);
  t.true(result.durationMs >= 190);
});

test('http: only the status counts, an endless body does not hold the probe', async (t) => {
  t.like(await httpProbe(target('/endless-body'), {timeoutMs: 1000}), {ok: true, output: 'HTTP 200 OK'});
});

test('http: a refused connection is unhealthy with the error as output', async (t) => {
  const result = await httpProbe({host: '127.0.0.1', port: closedPort, path: '/'}, {timeoutMs: 2000});
  t.false(result.ok);
  t.regex(result.output, /ECONNREFUSED/);
});

test('https: a self-signed certificate is accepted (liveness, not identity)', async (t) => {
  t.like(await httpProbe(target('/ok', 'https'), {timeoutMs: 2000}), {ok: true, output: 'HTTP 200 OK'});
  t.like(await httpProbe(target('/error', 'https'), {timeoutMs: 2000}), {ok: false});
});

test('http: cancelling rejects with CANCELLED instead of reporting a failure', async (t) => {
  const controller = new AbortController();
  const pending = httpProbe(target('/slow'), {timeoutMs: 5000, signal: controller.signal});
  setTimeout(() => controller.abort(), 50);
  const error = await t.throwsAsync(pending);
  t.true(isEngineError(error) && error.code === 'CANCELLED');
  const early = await t.throwsAsync(httpProbe(target('/ok'), {timeoutMs: 1000, signal: AbortSignal.abort()}));
  t.true(isEngineError(early) && early.code === 'CANCELLED');
});

test('http: the URL keeps the path a path and brackets IPv6 hosts', (t) => {
  t.is(httpProbeUrl({host: '127.0.0.1', port: 8080, path: '//evil/x'}).host, '127.0.0.1:8080');
  t.is(httpProbeUrl({host: '::1', port: 80, scheme: 'https', path: '/h?x=1'}).href, 'https://[::1]:80/h?x=1');
  t.is(httpProbeUrl({host: 'localhost', port: 81}).pathname, '/');
});

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

test('tcp: a listening port is healthy and the probe closes the connection at once', async (t) => {
  const accepted = new Promise<net.Socket>((resolve) => tcpServer.once('connection', resolve));
  const result = await tcpProbe({host: '127.0.0.1', port: tcpPort}, {timeoutMs: 2000});
  t.like(result, {ok: true, output: `connected to 127.0.0.1:${tcpPort}`});
  const socket = await within(accepted, 2000, 'accept');
  socket.resume();
  await within(once(socket, 'end'), 2000, 'client close');
  socket.destroy();
});

test('tcp: a closed port is unhealthy', async (t) => {
  const result = await tcpProbe({host: '127.0.0.1', port: closedPort}, {timeoutMs: 2000});
  t.false(result.ok);
  t.regex(result.output, /ECONNREFUSED/);
});

test('tcp: cancelling rejects with CANCELLED', async (t) => {
  const error = await t.throwsAsync(
    tcpProbe({host: '127.0.0.1', port: tcpPort}, {timeoutMs: 1000, signal: AbortSignal.abort()}),
  );
  t.true(isEngineError(error) && error.code === 'CANCELLED');
});
