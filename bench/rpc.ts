/**
The rpc face, through the built binary over real pipes: `system.ping` round trips (p50, p99) and pipelined
throughput in both framings; `pod.list` with 100 pods (p99); cold start to the `initialize` reply; and the
time to bring a 3-container pod up through `pod.create {wait: running}` beside the floor, the same pod made
with direct dockerode calls. Targets: >= 20,000 pings/s pipelined, pod.list p99 < 5 ms with 100 pods,
initialize answered < 300 ms after spawn.
*/
import {spawn, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import Docker from 'dockerode';
import {SERVER_NODE_FLAGS} from '../rpc/client/node-flags.js';
import {LABELS, LOCAL_IMAGES} from '../src/constants.js';
import {formatMs, median, printTable, quantile, ratio, verdict} from './stats.js';

const binary = fileURLToPath(new URL('../dist/bcs-executor.mjs', import.meta.url));
type Framing = 'headers' | 'ndjson';
type Reply = {id: number; result?: unknown; error?: {code: number; message: string}};

/** A bare pipelining client: no library between the bench and the bytes. */
class PipeClient {
  readonly child: ChildProcess;
  readonly #framing: Framing;
  readonly #waiting = new Map<number, (reply: Reply) => void>();
  #buffer: Buffer = Buffer.alloc(0);
  #next = 0;

  constructor(framing: Framing) {
    this.#framing = framing;
    this.child = spawn(process.execPath, [...SERVER_NODE_FLAGS, binary, 'rpc'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => this.#data(chunk));
  }

  #data(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let offset = 0;
    for (;;) {
      let body: Buffer;
      if (this.#framing === 'ndjson') {
        const newline = this.#buffer.indexOf(0x0a, offset);
        if (newline === -1) break;
        body = this.#buffer.subarray(offset, newline);
        offset = newline + 1;
      } else {
        const end = this.#buffer.indexOf('\r\n\r\n', offset);
        if (end === -1) break;
        const length = Number(
          /Content-Length: (\d+)/.exec(this.#buffer.toString('latin1', offset, end))?.[1],
        );
        if (this.#buffer.length < end + 4 + length) break;
        body = this.#buffer.subarray(end + 4, end + 4 + length);
        offset = end + 4 + length;
      }
      const reply = JSON.parse(body.toString('utf8')) as Reply;
      const resolve = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      resolve?.(reply);
    }
    this.#buffer = this.#buffer.subarray(offset);
  }

  #frame(method: string, params: unknown, id?: number): string {
    const json = JSON.stringify({jsonrpc: '2.0', ...(id === undefined ? {} : {id}), method, params});
    return this.#framing === 'ndjson'
      ? `${json}\n`
      : `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
  }

  request(method: string, params: unknown = {}): Promise<Reply> {
    const id = ++this.#next;
    const reply = new Promise<Reply>((resolve) => this.#waiting.set(id, resolve));
    this.child.stdin!.write(this.#frame(method, params, id));
    return reply;
  }

  async call<T>(method: string, params: unknown = {}): Promise<T> {
    const reply = await this.request(method, params);
    if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
    return reply.result as T;
  }

  /** Writes `count` requests in one go and resolves when every reply is in. */
  pipeline(count: number, method: string): Promise<void> {
    const replies: Promise<Reply>[] = [];
    const frames: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = ++this.#next;
      replies.push(new Promise<Reply>((resolve) => this.#waiting.set(id, resolve)));
      frames.push(this.#frame(method, {}, id));
    }
    this.child.stdin!.write(frames.join(''));
    return Promise.all(replies).then(() => undefined);
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.call('shutdown');
    this.child.stdin!.write(this.#frame('exit', {}));
    this.child.stdin!.end();
    await exited;
  }
}

async function started(framing: Framing): Promise<PipeClient> {
  const client = new PipeClient(framing);
  await client.call('initialize', {clientInfo: {name: 'bench'}});
  return client;
}

async function pings(framing: Framing): Promise<{rtt: number[]; perSecond: number}> {
  const client = await started(framing);
  for (let i = 0; i < 500; i++) await client.call('system.ping');
  const rtt: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const start = performance.now();
    await client.call('system.ping');
    rtt.push(performance.now() - start);
  }
  await client.pipeline(5000, 'system.ping');
  const count = 50_000;
  const start = performance.now();
  await client.pipeline(count, 'system.ping');
  const perSecond = count / ((performance.now() - start) / 1000);
  await client.close();
  return {rtt, perSecond};
}

async function coldStart(runs = 15): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const client = new PipeClient('ndjson');
    await client.call('initialize', {});
    times.push(performance.now() - start);
    await client.close();
  }
  return times;
}

const benchId = `bench-${randomBytes(4).toString('hex')}`;
const benchLabels = {[LABELS.testRun]: benchId};
const SHELL = ['-c', 'trap "exit 0" TERM; sleep 3600 & wait'];

function podSpec(name: string, apps = 1): unknown {
  return {
    name,
    labels: benchLabels,
    killPolicy: {graceSeconds: 2},
    containers: Array.from({length: apps}, (_, i) => ({
      name: `c${i}`,
      image: LOCAL_IMAGES.demo,
      command: 'sh',
      args: SHELL,
    })),
  };
}

async function podList(client: PipeClient, pods = 100): Promise<number[]> {
  const names = Array.from({length: pods}, (_, i) => `${benchId}-${i}`);
  for (let i = 0; i < names.length; i += 10) {
    await Promise.all(
      names.slice(i, i + 10).map((name) => client.call('pod.create', {spec: podSpec(name), start: false})),
    );
  }
  const listed = await client.call<{pods: unknown[]}>('pod.list');
  if (listed.pods.length < pods)
    throw new Error(`pod.list shows ${listed.pods.length} pods, expected ${pods}`);
  for (let i = 0; i < 100; i++) await client.call('pod.list');
  const times: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const start = performance.now();
    await client.call('pod.list');
    times.push(performance.now() - start);
  }
  for (let i = 0; i < names.length; i += 10) {
    await Promise.all(names.slice(i, i + 10).map((ref) => client.call('pod.remove', {ref, force: true})));
  }
  return times;
}

/** The floor: the same 3 containers (infra + 2 apps sharing its namespaces) with direct dockerode calls. */
async function floorPodUp(docker: Docker, name: string): Promise<number> {
  const start = performance.now();
  const infra = await docker.createContainer({
    name: `${name}-infra`,
    Image: LOCAL_IMAGES.pause,
    Labels: benchLabels,
    HostConfig: {Init: true, IpcMode: 'shareable'},
  });
  await infra.start();
  const apps = await Promise.all(
    [0, 1].map((i) =>
      docker.createContainer({
        name: `${name}-c${i}`,
        Image: LOCAL_IMAGES.demo,
        Cmd: ['sh', ...SHELL],
        Labels: benchLabels,
        HostConfig: {NetworkMode: `container:${infra.id}`, IpcMode: `container:${infra.id}`},
      }),
    ),
  );
  for (const app of apps) await app.start();
  const elapsed = performance.now() - start;
  await Promise.all([...apps, infra].map((c) => c.remove({force: true})));
  return elapsed;
}

async function podUp(
  client: PipeClient,
  docker: Docker,
  rounds = 5,
): Promise<{rpc: number[]; floor: number[]}> {
  const rpc: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < rounds; i++) {
    floor.push(await floorPodUp(docker, `${benchId}-floor-${i}`));
    const name = `${benchId}-up-${i}`;
    const start = performance.now();
    await client.call('pod.create', {spec: podSpec(name, 2), wait: 'running'});
    rpc.push(performance.now() - start);
    await client.call('pod.remove', {ref: name, force: true});
  }
  return {rpc, floor};
}

async function sweep(docker: Docker): Promise<void> {
  const leftovers = await docker.listContainers({
    all: true,
    filters: {label: [`${LABELS.testRun}=${benchId}`]},
  });
  await Promise.all(
    leftovers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({force: true})
        .catch(() => undefined),
    ),
  );
}

export async function benchRpc(): Promise<void> {
  if (!existsSync(binary)) throw new Error(`build first: ${binary} is missing (npm run build)`);
  const rows: string[][] = [];
  const throughput: Record<Framing, number> = {headers: 0, ndjson: 0};
  for (const framing of ['headers', 'ndjson'] as const) {
    const {rtt, perSecond} = await pings(framing);
    throughput[framing] = perSecond;
    rows.push([
      `system.ping (${framing})`,
      formatMs(median(rtt)),
      formatMs(quantile(rtt, 0.99)),
      `${Math.round(perSecond).toLocaleString('en')} /s`,
    ]);
  }
  printTable(
    'Round trips and pipelined throughput (3000 sequential, 50,000 pipelined)',
    ['call', 'p50', 'p99', 'pipelined'],
    rows,
  );

  const cold = await coldStart();
  const docker = new Docker();
  const client = await started('ndjson');
  try {
    const list = await podList(client);
    const up = await podUp(client, docker);
    printTable(
      'Engine through RPC',
      ['measure', 'p50', 'p99 / p95', 'vs floor'],
      [
        ['spawn to initialize reply', formatMs(median(cold)), formatMs(quantile(cold, 0.95)), '-'],
        ['pod.list, 100 pods', formatMs(median(list)), formatMs(quantile(list, 0.99)), '-'],
        [
          '3-container pod up: dockerode (floor)',
          formatMs(median(up.floor)),
          formatMs(quantile(up.floor, 0.95)),
          '1.00x',
        ],
        [
          '3-container pod up: pod.create via rpc',
          formatMs(median(up.rpc)),
          formatMs(quantile(up.rpc, 0.95)),
          ratio(median(up.rpc), median(up.floor)),
        ],
      ],
    );
    const minPings = Math.min(throughput.headers, throughput.ndjson);
    process.stdout.write(
      [
        '',
        `target: >= 20,000 pings/s pipelined: ${Math.round(minPings).toLocaleString('en')} /s ${verdict(minPings >= 20_000)}`,
        `target: pod.list p99 < 5 ms with 100 pods: ${formatMs(quantile(list, 0.99))} ${verdict(quantile(list, 0.99) < 5)}`,
        `target: initialize < 300 ms after spawn: ${formatMs(median(cold))} ${verdict(median(cold) < 300)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await client.close().catch(() => undefined);
    await sweep(docker);
  }
}
