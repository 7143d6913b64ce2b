/**
Docker-adapter behaviour beyond the shared contract, against the real engine: building an image FROM
scratch with no registry, TTY exec, and losing the engine mid-stream (through a socket proxy we can cut).
*/
import {once} from 'node:events';
import {rmSync} from 'node:fs';
import {connect, createServer, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {pack} from 'tar-stream';
import {isEngineError} from '../../src/errors.js';
import {DockerRuntime} from '../../src/runtime/docker/docker-runtime.js';
import type {RuntimeEvent} from '../../src/runtime/port.js';
import {collect, execFinished} from '../contract/contract-helpers.js';
import {busyboxContext, ensureTestImage, realRuntime} from '../support/docker.js';
import {removeByRunId, runId, testLabels, uniqueName} from '../support/run-id.js';

test.after.always('remove what this run created', async () => {
  await removeByRunId(await realRuntime());
});

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const tar = pack();
  for (const [name, content] of Object.entries(files)) tar.entry({name}, content);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

test('buildImage makes a busybox image FROM scratch (no registry) that runs', async (t) => {
  const runtime = await realRuntime();
  const tag = `bcs-executor-test/busybox-build:${runId}`;
  const progress: string[] = [];
  const {imageId} = await runtime.buildImage(await busyboxContext(), {
    tag,
    labels: testLabels(),
    onProgress: (event) => progress.push(event.stream ?? event.status ?? ''),
    signal: AbortSignal.timeout(120_000),
  });
  t.regex(imageId, /^sha256:[0-9a-f]{64}$/);
  t.true(progress.some((line) => line.includes('FROM scratch')));
  const image = await runtime.inspectImage(tag);
  t.is(image?.id, imageId);
  t.deepEqual(image?.config.env, ['PATH=/bin']);
  t.like(image?.labels, testLabels());

  const {id} = await runtime.createContainer({
    image: tag,
    cmd: ['sh', '-c', 'echo "$PATH"; stat -c %a /tmp; ls /bin/sleep'],
    labels: testLabels(),
    host: {},
  });
  await runtime.startContainer(id);
  t.is((await runtime.waitContainer(id, 'not-running', {signal: AbortSignal.timeout(30_000)})).exitCode, 0);
  let stdout = '';
  for await (const chunk of runtime.logs(id)) stdout += chunk.data.toString();
  t.is(stdout, '/bin\n1777\n/bin/sleep\n');
});

test('a build that fails inside (COPY of a missing file) is ENGINE_ERROR with the builder message', async (t) => {
  const runtime = await realRuntime();
  const context = await tarOf({Dockerfile: 'FROM scratch\nCOPY missing.txt /\n'});
  const error = await t.throwsAsync(
    runtime.buildImage(context, {tag: `bcs-executor-test/broken:${runId}`, labels: testLabels()}),
  );
  t.true(isEngineError(error));
  if (!isEngineError(error)) return;
  t.is(error.code, 'ENGINE_ERROR');
  t.regex(String(error.details['engineMessage']), /missing\.txt/);
});

test('exec with a TTY: raw output on stdout, stderr ends at once, resize accepted', async (t) => {
  const runtime = await realRuntime();
  const image = await ensureTestImage(runtime);
  const {id} = await runtime.createContainer({
    image,
    cmd: ['sleep', '300'],
    labels: testLabels(),
    host: {init: true},
  });
  await runtime.startContainer(id);
  const execId = await runtime.createExec(id, {
    cmd: ['sh', '-c', 'sleep 0.3; echo out; echo err >&2'],
    tty: true,
  });
  const session = await runtime.startExec(execId, {tty: true});
  await runtime.resizeExec(execId, {rows: 40, cols: 120});
  const [stdout, stderr] = await Promise.all([collect(session.stdout), collect(session.stderr)]);
  t.is(stdout.replace(/\r\n/g, '\n'), 'out\nerr\n');
  t.is(stderr, '');
  t.is((await execFinished(runtime, execId)).exitCode, 0);
});

/** A unix socket that forwards to the engine until cut. */
async function proxy(target: string): Promise<{socket: string; cut: () => void; close: () => Promise<void>}> {
  const socket = join(tmpdir(), `bcs-proxy-${process.pid}-${uniqueName('p')}.sock`);
  rmSync(socket, {force: true});
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target);
    open.add(client);
    open.add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', () => open.delete(client));
    upstream.on('close', () => open.delete(upstream));
  });
  server.listen(socket);
  await once(server, 'listening');
  return {
    socket,
    cut: () => {
      for (const s of open) s.destroy();
    },
    close: async () => {
      for (const s of open) s.destroy();
      server.close();
      await once(server, 'close');
      rmSync(socket, {force: true});
    },
  };
}

test('losing the engine mid-stream ends events with ENGINE_UNAVAILABLE; the next call reconnects', async (t) => {
  const real = await realRuntime();
  if (real.target.kind !== 'unix') {
    t.fail(`this test proxies a unix socket; the test engine is ${real.endpoint}`);
    return;
  }
  const relay = await proxy(real.target.socketPath);
  t.teardown(() => relay.close());
  const runtime = new DockerRuntime({endpoint: relay.socket});
  const image = await ensureTestImage(runtime);
  const caseId = uniqueName('lost');
  const labels = testLabels({'dev.bcs-executor.test-case': caseId});
  const filter = `dev.bcs-executor.test-case=${caseId}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  t.teardown(() => clearTimeout(timer));
  const seen: RuntimeEvent[] = [];
  let failure: unknown;
  const reading = (async () => {
    try {
      for await (const event of runtime.events({signal: controller.signal, labels: [filter]})) {
        seen.push(event);
        relay.cut();
      }
    } catch (error) {
      failure = error;
    }
  })();
  // Events only flow once the subscription is in place: create containers until one is seen.
  while (seen.length === 0 && failure === undefined && !controller.signal.aborted) {
    // The cut closes every socket through the proxy, this call's too when it is in flight: that is the point.
    await runtime.createContainer({image, cmd: ['true'], labels, host: {}}).catch((error: unknown) => {
      if (!isEngineError(error) || error.code !== 'ENGINE_UNAVAILABLE') throw error;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await reading;
  t.true(isEngineError(failure) && failure.code === 'ENGINE_UNAVAILABLE', String(failure));
  t.is(seen[0]?.action, 'create');
  // The proxy still listens: the same runtime negotiates again and works.
  t.regex((await runtime.ping()).apiVersion, /^1\.\d+$/);
  t.true((await runtime.listContainers({labels: [filter]})).length >= 1);
});
