/**
The Docker adapter end to end against a stub Engine API on a unix socket (no Docker): version negotiation
and re-negotiation, path versioning, status mapping, streams split at awkward places, pull failures,
timeouts and credentials, and an event stream the daemon drops.
*/
import {once} from 'node:events';
import {rmSync} from 'node:fs';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import {encodeFrame} from '../../src/runtime/docker/demux.js';
import {createDockerRuntime, DockerRuntime} from '../../src/runtime/docker/docker-runtime.js';
import type {RuntimeEvent} from '../../src/runtime/port.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

interface Stub {
  readonly socket: string;
  readonly requests: {method: string; url: string; headers: IncomingMessage['headers']}[];
  apiVersion: string;
  route(method: string, path: RegExp, handler: Handler): void;
  close(): Promise<void>;
}

let counter = 0;

async function stub(): Promise<Stub> {
  const socket = join(tmpdir(), `bcs-stub-${process.pid}-${counter++}.sock`);
  rmSync(socket, {force: true});
  const routes: {method: string; path: RegExp; handler: Handler}[] = [];
  const requests: Stub['requests'] = [];
  const state = {apiVersion: '1.41'};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({method: req.method ?? '', url: req.url ?? '', headers: req.headers});
      res.setHeader('Api-Version', state.apiVersion);
      if (req.url === '/_ping') {
        res.end('OK');
        return;
      }
      const route = routes.find((r) => r.method === req.method && r.path.test(req.url ?? ''));
      if (route === undefined) {
        res.statusCode = 404;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({message: `page not found: ${req.url ?? ''}`}));
        return;
      }
      void route.handler(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  server.listen(socket);
  await once(server, 'listening');
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    socket,
    requests,
    get apiVersion() {
      return state.apiVersion;
    },
    set apiVersion(value: string) {
      state.apiVersion = value;
    },
    route(method, path, handler) {
      routes.unshift({method, path, handler});
    },
    async close() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
      rmSync(socket, {force: true});
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}

async function codeOf(work: Promise<unknown>): Promise<{code: string; details: Record<string, unknown>}> {
  try {
    await work;
  } catch (error) {
    if (isEngineError(error)) return {code: error.code, details: {...error.details}};
    return {code: `not an EngineError: ${String(error)}`, details: {}};
  }
  return {code: 'resolved', details: {}};
}

test('negotiates min(daemon, max tested) and prefixes every path with it', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  s.apiVersion = '1.56';
  s.route('GET', /^\/v1\.45\/info/, (_req, res) => json(res, 200, {Name: 'stub', NCPU: 4}));
  const runtime = await createDockerRuntime({endpoint: `unix://${s.socket}`});
  t.deepEqual(await runtime.ping(), {apiVersion: '1.45'});
  t.is((await runtime.info()).ncpu, 4);
  t.true(s.requests.some((r) => r.url === '/v1.45/info'));
  t.is(runtime.endpoint, `unix://${s.socket}`);
});

test('an older daemon is spoken to in its own version; older than 1.40 is UNSUPPORTED', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  s.apiVersion = '1.40';
  s.route('GET', /^\/v1\.40\/version/, (_req, res) => json(res, 200, {ApiVersion: '1.40', Version: '19.03'}));
  const runtime = new DockerRuntime({endpoint: s.socket});
  t.is((await runtime.version()).apiVersion, '1.40');
  s.apiVersion = '1.39';
  t.is((await codeOf(createDockerRuntime({endpoint: s.socket}))).code, 'UNSUPPORTED');
});

test('a lazily built runtime fails ENGINE_UNAVAILABLE while nothing listens, then connects once something does', async (t) => {
  const socket = join(tmpdir(), `bcs-stub-late-${process.pid}.sock`);
  rmSync(socket, {force: true});
  const runtime = new DockerRuntime({endpoint: `unix://${socket}`});
  const down = await codeOf(runtime.listContainers());
  t.is(down.code, 'ENGINE_UNAVAILABLE');
  t.deepEqual(down.details, {endpoint: `unix://${socket}`, errno: 'ENOENT'});
  t.is((await codeOf(createDockerRuntime({endpoint: socket}))).code, 'ENGINE_UNAVAILABLE');

  // The engine appears; the same runtime object negotiates on its next call.
  const s = await stub();
  t.teardown(() => s.close());
  const {socket: live} = s;
  s.route('GET', /^\/v1\.41\/containers\/json/, (_req, res) => json(res, 200, []));
  const late = new DockerRuntime({endpoint: live});
  t.deepEqual(await late.listContainers(), []);
});

test('after losing the engine the runtime re-negotiates (the new daemon may speak another version)', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  s.route('GET', /\/containers\/json/, (_req, res) => json(res, 200, []));
  const runtime = new DockerRuntime({endpoint: s.socket});
  await runtime.listContainers();
  t.true(s.requests.some((r) => r.url.startsWith('/v1.41/containers/json')));

  // Simulate a daemon restart: one refused connection, then a newer daemon.
  s.route('GET', /\/containers\/json/, (req) => {
    req.socket.destroy();
  });
  t.is((await codeOf(runtime.listContainers())).code, 'ENGINE_UNAVAILABLE');
  s.apiVersion = '1.43';
  s.route('GET', /\/containers\/json/, (_req, res) => json(res, 200, []));
  await runtime.listContainers();
  t.true(s.requests.some((r) => r.url.startsWith('/v1.43/containers/json')));
});

test('statuses map: 304 → changed:false, 404 → NOT_FOUND, 409 on create → ALREADY_EXISTS, 500 → ENGINE_ERROR', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  s.route('POST', /\/containers\/running\/start/, (_req, res) => {
    res.statusCode = 304;
    res.end();
  });
  s.route('POST', /\/containers\/gone\/start/, (_req, res) =>
    json(res, 404, {message: 'No such container: gone'}),
  );
  s.route('POST', /\/containers\/create\?name=dup/, (_req, res) =>
    json(res, 409, {message: 'Conflict. The container name "/dup" is already in use'}),
  );
  s.route('DELETE', /\/containers\/gone/, (_req, res) =>
    json(res, 404, {message: 'No such container: gone'}),
  );
  s.route('POST', /\/containers\/broken\/stop/, (_req, res) => json(res, 500, {message: 'driver failed'}));
  const runtime = new DockerRuntime({endpoint: s.socket});
  t.deepEqual(await runtime.startContainer('running'), {changed: false});
  const missing = await codeOf(runtime.startContainer('gone'));
  t.is(missing.code, 'NOT_FOUND');
  t.is(missing.details['ref'], 'gone');
  t.deepEqual(await runtime.removeContainer('gone'), {changed: false});
  t.is((await codeOf(runtime.createContainer({name: 'dup', image: 'x', host: {}}))).code, 'ALREADY_EXISTS');
  const broken = await codeOf(runtime.stopContainer('broken'));
  t.is(broken.code, 'ENGINE_ERROR');
  t.deepEqual(broken.details, {statusCode: 500, engineMessage: 'driver failed'});
});

test('create sends the mapped body and the name; ids with odd characters are escaped in paths', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  let body: unknown;
  s.route('POST', /\/containers\/create/, (_req, res, text) => {
    body = JSON.parse(text);
    json(res, 201, {Id: 'abc', Warnings: ['w']});
  });
  s.route('GET', /\/containers\/a%20b\/json/, (_req, res) => json(res, 200, {Id: 'a b', Name: '/a b'}));
  const runtime = new DockerRuntime({endpoint: s.socket});
  t.deepEqual(
    await runtime.createContainer({
      name: 'web',
      image: 'demo:1',
      cmd: ['httpd'],
      host: {networkMode: 'bridge'},
    }),
    {id: 'abc', warnings: ['w']},
  );
  t.deepEqual(body, {Image: 'demo:1', Cmd: ['httpd'], HostConfig: {NetworkMode: 'default'}});
  t.true(s.requests.some((r) => r.url === '/v1.41/containers/create?name=web'));
  t.is((await runtime.inspectContainer('a b')).name, 'a b');
});

test('events split across many writes arrive whole, with exact nanoseconds; a dropped stream is ENGINE_UNAVAILABLE', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  const lines =
    '{"Type":"container","Action":"start","Actor":{"ID":"c1","Attributes":{"name":"web"}},"time":1,"timeNano":1795734607000000001}\n' +
    '{"Type":"container","Action":"die","Actor":{"ID":"c1","Attributes":{"exitCode":"3"}},"time":1,"timeNano":1795734608123456789}';
  let filters = '';
  s.route('GET', /\/events/, async (req, res) => {
    filters = new URL(req.url ?? '', 'http://x').searchParams.get('filters') ?? '';
    res.writeHead(200, {'Content-Type': 'application/json'});
    for (let i = 0; i < lines.length; i += 7) {
      res.write(lines.slice(i, i + 7));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    res.end(); // the daemon went away
  });
  const runtime = new DockerRuntime({endpoint: s.socket});
  const seen: RuntimeEvent[] = [];
  const outcome = await codeOf(
    (async () => {
      for await (const event of runtime.events({
        signal: AbortSignal.timeout(10_000),
        types: ['container'],
        labels: ['a=b'],
      })) {
        seen.push(event);
      }
    })(),
  );
  t.is(outcome.code, 'ENGINE_UNAVAILABLE');
  t.deepEqual(JSON.parse(filters), {type: ['container'], label: ['a=b']});
  t.deepEqual(
    seen.map((e) => [e.action, e.timeNano]),
    [
      ['start', 1795734607000000001n],
      ['die', 1795734608123456789n],
    ],
  );
  t.is(seen[1]?.attributes['exitCode'], '3');
});

test('events end quietly when the caller aborts', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  s.route('GET', /\/events/, (_req, res) => {
    res.writeHead(200, {'Content-Type': 'application/json'});
    res.write('');
  });
  const runtime = new DockerRuntime({endpoint: s.socket});
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const seen: RuntimeEvent[] = [];
  for await (const event of runtime.events({signal: controller.signal})) seen.push(event);
  t.deepEqual(seen, []);
});

test('non-follow logs are demultiplexed even when they look like JSON', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  s.route('GET', /\/containers\/c1\/json/, (_req, res) => json(res, 200, {Id: 'c1', Config: {Tty: false}}));
  s.route('GET', /\/containers\/c1\/logs/, (_req, res) => {
    res.writeHead(200, {'Content-Type': 'application/vnd.docker.raw-stream'});
    const bytes = Buffer.concat([encodeFrame('stdout', '{"a":1}\n'), encodeFrame('stderr', 'err\n')]);
    res.write(bytes.subarray(0, 5));
    res.end(bytes.subarray(5));
  });
  const runtime = new DockerRuntime({endpoint: s.socket});
  const chunks: string[] = [];
  for await (const chunk of runtime.logs('c1', {tail: 10}))
    chunks.push(`${chunk.stream}:${chunk.data.toString()}`);
  t.deepEqual(chunks, ['stdout:{"a":1}\n', 'stderr:err\n']);
  t.true(s.requests.some((r) => r.url.includes('/containers/c1/logs?') && r.url.includes('tail=10')));
});

test('pull: an error inside the stream is IMAGE_PULL_FAILED; credentials carry serveraddress', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  s.route('POST', /\/images\/create/, (_req, res) => {
    res.writeHead(200, {'Content-Type': 'application/json'});
    res.write('{"status":"Pulling from team/app","id":"1.0"}\r\n');
    res.end('{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}\r\n');
  });
  const runtime = new DockerRuntime({endpoint: s.socket});
  const statuses: string[] = [];
  const failed = await codeOf(
    runtime.pullImage('reg.local:5000/team/app:1.0', {
      auth: {username: 'u', password: 'p', serveraddress: 'reg.local:5000'},
      onProgress: (event) => statuses.push(event.status ?? ''),
    }),
  );
  t.is(failed.code, 'IMAGE_PULL_FAILED');
  t.deepEqual(failed.details, {ref: 'reg.local:5000/team/app:1.0', engineMessage: 'manifest unknown'});
  t.deepEqual(statuses, ['Pulling from team/app', '']);
  const request = s.requests.find((r) => r.url.includes('/images/create'));
  const params = new URL(request?.url ?? '', 'http://x').searchParams;
  t.is(params.get('fromImage'), 'reg.local:5000/team/app:1.0');
  const header = String(request?.headers['x-registry-auth'] ?? '');
  const auth: unknown = JSON.parse(
    Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString(),
  );
  t.deepEqual(auth, {username: 'u', password: 'p', serveraddress: 'reg.local:5000'});
});

test('pull of a bare name asks for :latest (never every tag); a non-2xx is IMAGE_PULL_FAILED', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  s.route('POST', /\/images\/create/, (_req, res) =>
    json(res, 500, {message: 'Get "https://registry-1.docker.io/v2/": no such host'}),
  );
  const runtime = new DockerRuntime({endpoint: s.socket});
  const failed = await codeOf(runtime.pullImage('busybox'));
  t.is(failed.code, 'IMAGE_PULL_FAILED');
  t.regex(String(failed.details['engineMessage']), /no such host/);
  const params = new URL(s.requests.at(-1)?.url ?? '', 'http://x').searchParams;
  t.is(params.get('fromImage'), 'busybox');
  t.is(params.get('tag'), 'latest');
});

test('pull: a stream silent longer than the inactivity timeout is TIMEOUT; a caller abort is CANCELLED', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  s.route('POST', /\/images\/create/, (_req, res) => {
    res.writeHead(200, {'Content-Type': 'application/json'});
    res.write('{"status":"Pulling fs layer","id":"abc"}\n');
    // ...and then nothing, like a stalled registry.
  });
  const runtime = new DockerRuntime({endpoint: s.socket});
  const stalled = await codeOf(runtime.pullImage('slow/image:1', {inactivityTimeoutMs: 150}));
  t.is(stalled.code, 'TIMEOUT');
  t.deepEqual(stalled.details, {ref: 'slow/image:1', timeoutMs: 150});
  const aborted = await codeOf(runtime.pullImage('slow/image:1', {signal: AbortSignal.timeout(100)}));
  t.is(aborted.code, 'CANCELLED');
});

test('statPath decodes the header of a HEAD; a 404 without a body names the path', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  const stat = Buffer.from(
    JSON.stringify({name: 'f', size: 3, mode: 420, mtime: 'T', linkTarget: ''}),
  ).toString('base64');
  s.route('HEAD', /\/archive\?path=%2Ftmp%2Ff/, (_req, res) => {
    res.setHeader('X-Docker-Container-Path-Stat', stat);
    res.end();
  });
  s.route('HEAD', /\/archive\?path=%2Fnope/, (_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const runtime = new DockerRuntime({endpoint: s.socket});
  t.deepEqual(await runtime.statPath('c1', '/tmp/f'), {
    name: 'f',
    size: 3,
    mode: 420,
    mtime: 'T',
    linkTarget: '',
  });
  const missing = await codeOf(runtime.statPath('c1', '/nope'));
  t.is(missing.code, 'NOT_FOUND');
  t.is(missing.details['resource'], 'path');
  t.is(missing.details['ref'], 'c1:/nope');
});

test('build returns aux.ID; an error line fails the build', async (t) => {
  const s = await stub();
  t.teardown(() => s.close());
  let contentType = '';
  s.route('POST', /\/build\?.*t=ok/, (req, res) => {
    contentType = String(req.headers['content-type']);
    res.writeHead(200, {'Content-Type': 'application/json'});
    res.end('{"stream":"Step 1/1 : FROM scratch\\n"}\n{"aux":{"ID":"sha256:built"}}\n');
  });
  s.route('POST', /\/build\?.*t=bad/, (_req, res) => {
    res.writeHead(200, {'Content-Type': 'application/json'});
    res.end('{"errorDetail":{"message":"COPY failed"},"error":"COPY failed"}\n');
  });
  const runtime = new DockerRuntime({endpoint: s.socket});
  const streams: string[] = [];
  const built = await runtime.buildImage(Buffer.alloc(1024), {
    tag: 'ok:1',
    onProgress: (event) => streams.push(event.stream ?? ''),
  });
  t.deepEqual(built, {imageId: 'sha256:built'});
  t.is(contentType, 'application/x-tar');
  t.is(streams[0], 'Step 1/1 : FROM scratch\n');
  const failed = await codeOf(runtime.buildImage(Buffer.alloc(1024), {tag: 'bad:1'}));
  t.is(failed.code, 'ENGINE_ERROR');
  t.is(failed.details['engineMessage'], 'COPY failed');
});

test('a tcp:// endpoint reaches an HTTP engine', async (t) => {
  const server = createServer((req, res) => {
    res.setHeader('Api-Version', '1.41');
    if (req.url === '/_ping') res.end('OK');
    else json(res, 200, {ApiVersion: '1.41', Version: 'tcp', Components: [{Name: 'Podman Engine'}]});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const runtime = await createDockerRuntime({endpoint: `tcp://127.0.0.1:${port}`});
  const version = await runtime.version();
  t.is(version.serverVersion, 'tcp');
  t.is(version.flavor, 'podman');
});
