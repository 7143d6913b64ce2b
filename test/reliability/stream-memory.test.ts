/**
Big streams through the real binary without the server's memory following them: a 100 MB host file uploaded
into a container (container.upload with a source under an --allow-bind root), and the logs of a container
writing 20 MB/s followed with logs.subscribe. The server's RSS (VmRSS of /proc/<pid>/status, sampled every
50 ms) may not grow more than 50 MB over its level before the stream.
*/
import {createHash, randomBytes} from 'node:crypto';
import {createWriteStream} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {finished} from 'node:stream/promises';
import test from 'ava';
import {realRuntime} from '../support/docker.js';
import {testPodSpec} from '../support/rpc-client.js';
import {removeByRunId, runId} from '../support/run-id.js';
import {mib, rssKiB, sampleRss, startRpc, stopServer} from './support/server.js';

const GROWTH_LIMIT_KIB = 50 * 1024;
const UPLOAD_BYTES = 100 * 1024 * 1024;
/** How long the log writer runs, and what it aims at. */
const LOG_SECONDS = 10;
const LOG_RATE = 20 * 1024 * 1024;

let dir = '';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bcs-reliability-'));
});

test.after.always(async () => {
  await removeByRunId(await realRuntime());
  if (dir !== '') await rm(dir, {recursive: true, force: true});
});

function podName(what: string): string {
  return `st-${what}-${runId}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** Writes `bytes` of random data to `path` (1 MiB at a time) and answers its sha256. */
async function bigFile(path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  const block = randomBytes(1024 * 1024);
  for (let written = 0; written < bytes; written += block.length) {
    // A different block each time, so nothing along the way can get away with deduplicating.
    block.writeUInt32LE(written, 0);
    hash.update(block);
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
  return hash.digest('hex');
}

test.serial('a 100 MB upload from a host file streams through without the RSS growing 50 MB', async (t) => {
  const source = join(dir, 'big.bin');
  const digest = await bigFile(source, UPLOAD_BYTES);
  const server = await startRpc({serverArgs: ['--allow-bind', dir]});
  t.teardown(() => server.child.kill('SIGKILL'));
  const {client} = server;
  const name = podName('up');
  await client.api.pod.create({
    spec: testPodSpec(name, [
      {name: 'app', image: 'bcs-executor/demo:local', command: 'sleep', args: ['3600']},
    ]),
    wait: 'running',
  });
  // Warm: the same path with a small file, so the baseline holds every module the big upload needs.
  await client.api.container.upload({ref: `${name}/app`, dest: '/tmp/warm.txt', content: 'warm\n'});
  const baseline = rssKiB(server.pid);
  const sampler = sampleRss(server.pid);
  const started = performance.now();
  const result = await client.api.container.upload({ref: `${name}/app`, dest: '/tmp/big.bin', source});
  const seconds = (performance.now() - started) / 1000;
  const trace = sampler.stop();
  t.true(result.changed);

  // The whole file arrived, byte for byte.
  const check = await client.api.container.exec({
    ref: `${name}/app`,
    cmd: ['sh', '-c', 'stat -c %s /tmp/big.bin; sha256sum /tmp/big.bin'],
    timeoutMs: 120_000,
  });
  t.is(check.exitCode, 0, check.stderr);
  const [size, sum] = check.stdout.split('\n');
  t.is(Number(size), UPLOAD_BYTES);
  t.is(sum?.split(' ')[0], digest);

  const growth = trace.peakKiB - baseline;
  t.log(
    `upload of ${UPLOAD_BYTES / 1024 / 1024} MiB in ${seconds.toFixed(1)} s; server RSS ${mib(baseline)} ` +
      `before, peak ${mib(trace.peakKiB)} (+${mib(growth)}), ${mib(trace.lastKiB)} after`,
  );
  t.true(growth <= GROWTH_LIMIT_KIB, `the server's RSS grew ${mib(growth)} during the upload`);
  t.is(await stopServer(client, server), 0);
});

test.serial('logs of a container writing 20 MB/s stream through without the RSS growing 50 MB', async (t) => {
  const server = await startRpc({});
  t.teardown(() => server.child.kill('SIGKILL'));
  const {client} = server;
  const name = podName('logs');
  // 2 MiB of 1000-byte lines every 100 ms, once /tmp/go exists: 20 MiB/s, as fast as Docker takes them.
  const writer = [
    "line=$(head -c 999 /dev/zero | tr '\\0' x)",
    'yes "$line" | head -n 2097 > /tmp/chunk',
    'while [ ! -f /tmp/go ]; do usleep 50000; done',
    `end=$(( $(date +%s) + ${LOG_SECONDS} ))`,
    'while [ "$(date +%s)" -lt "$end" ]; do cat /tmp/chunk; usleep 100000; done',
    'sleep 3600',
  ].join('\n');
  await client.api.pod.create({
    spec: testPodSpec(name, [
      {name: 'writer', image: 'bcs-executor/demo:local', command: 'sh', args: ['-c', writer]},
    ]),
    wait: 'running',
  });

  let bytes = 0;
  let lines = 0;
  let dropped = 0;
  const sub = await client.api.logs.subscribe({ref: `${name}/writer`, tail: 0});
  client.on('logs/data', (params) => {
    if (params.subscriptionId !== sub.subscriptionId) return;
    lines += params.lines.length;
    dropped += params.dropped ?? 0;
    for (const line of params.lines) bytes += line.text.length + 1;
  });
  const baseline = rssKiB(server.pid);
  const sampler = sampleRss(server.pid);
  const started = performance.now();
  await client.api.container.upload({ref: `${name}/writer`, dest: '/tmp/go', content: ''});
  // Until the writer has stopped and its last lines are through (no new line for a second).
  const deadline = Date.now() + (LOG_SECONDS + 60) * 1000;
  let lastLines = -1;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (lines !== lastLines) {
      lastLines = lines;
      quietSince = Date.now();
    } else if (lines > 0 && Date.now() - quietSince > 1000) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const trace = sampler.stop();
  t.true((await client.api.logs.unsubscribe({subscriptionId: sub.subscriptionId})).changed);

  const growth = trace.peakKiB - baseline;
  const rate = bytes / Math.max(1, seconds - 1);
  t.log(
    `${lines} lines (${mib(bytes / 1024)}) in ${seconds.toFixed(1)} s (${mib(rate / 1024)}/s), ${dropped} dropped ` +
      `for the client; server RSS ${mib(baseline)} before, peak ${mib(trace.peakKiB)} (+${mib(growth)}), ` +
      `${mib(trace.lastKiB)} after`,
  );
  // The stream really was heavy: at least half the aimed rate came through (Docker sets the pace here).
  t.true(bytes + dropped * 1000 >= (LOG_RATE * LOG_SECONDS) / 2, `only ${mib(bytes / 1024)} of logs came`);
  t.true(growth <= GROWTH_LIMIT_KIB, `the server's RSS grew ${mib(growth)} while following the logs`);
  t.is(await stopServer(client, server), 0);
});
