/**
What the fault tests share: the private dockerd (the one scripts/test-faults started, or one of the test file's
own), the real binary's rpc server on it through the typed client, a recorder of its notifications with the
time each arrived, the docker CLI pointed at the private daemon, and pod specs carrying this run's label.
*/
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import type {ExecutionContext} from 'ava';
import {
  isRpcError,
  createClient,
  type NotificationName,
  type NotificationParams,
  type RpcClient,
} from '../../../rpc/client/index.js';
import type {ContainerSpec, PodSpec} from '../../../src/index.js';
import {PrivateDockerd} from '../../support/private-dockerd.js';
import {BINARY} from '../../support/rpc-client.js';
import {removeByRunId, runId, testLabels} from '../../support/run-id.js';

export {BINARY};

/** The demo image: busybox applets (sh, sleep, httpd) and nothing else. */
export const DEMO = 'bcs-executor/demo:local';

/**
A member that ends on SIGTERM the way a shell reports a child killed by it (143), and ends at once on a
daemon stop. Busybox's sleep as PID 1 would ignore SIGTERM: the kernel drops signals PID 1 has no handler for.
*/
export const TERMINABLE_SLEEP = [
  '-c',
  'sleep 3600 & child=$!; trap "kill -TERM $child" TERM; wait; wait $child',
];

let counter = 0;

/** A pod name unique to this run (DNS-label shaped). */
export function faultPodName(prefix: string): string {
  counter++;
  return `${prefix}-${runId.replace(/[^a-z0-9]/g, '').slice(-8)}-${counter.toString(36)}`.toLowerCase();
}

/** A pod spec carrying this run's label, with short kill grace so stops are quick. */
export function faultPodSpec(
  name: string,
  containers: readonly ContainerSpec[],
  extra: Partial<PodSpec> = {},
): PodSpec {
  return {name, labels: testLabels(), killPolicy: {graceSeconds: 2}, ...extra, containers: [...containers]};
}

/** A demo-image container running `sh` with `args`. */
export function shell(
  name: string,
  args: readonly string[],
  extra: Partial<ContainerSpec> = {},
): ContainerSpec {
  return {name, image: DEMO, command: 'sh', args: [...args], ...extra};
}

/** A demo-image container running `sleep 3600`. */
export function sleeper(name: string): ContainerSpec {
  return {name, image: DEMO, command: 'sleep', args: ['3600']};
}

/**
The private daemon for this test file: the one scripts/test-faults started (BCS_FAULTS_DAEMON), or one started
here and torn down after the file's tests. Either way this run's objects are removed by its label at the end.
*/
export function useFaultsDaemon(test: {
  before: (fn: () => Promise<void>) => void;
  after: {always: (fn: () => Promise<void>) => void};
}): () => PrivateDockerd {
  let daemon: PrivateDockerd | undefined;
  let owned = false;
  test.before(async () => {
    if (!existsSync(BINARY)) throw new Error(`build first (npm run build): ${BINARY} is missing`);
    daemon = PrivateDockerd.fromEnv();
    if (daemon === undefined) {
      daemon = await PrivateDockerd.start();
      owned = true;
    }
    if (!(await daemon.answers(10_000)))
      throw new Error(`the private dockerd at ${daemon.host} does not answer`);
  });
  test.after.always(async () => {
    if (daemon === undefined) return;
    if (owned) {
      await daemon.teardown();
      return;
    }
    // A test that failed in the middle of an outage leaves the shared private daemon down: bring it back.
    if (daemon.pid() === 0) await daemon.restart();
    await removeRunObjects(daemon);
  });
  return () => {
    if (daemon === undefined) throw new Error('the private dockerd is not ready (test.before failed)');
    return daemon;
  };
}

/** Removes this run's containers and networks from the private daemon (by the run label, never all). */
export async function removeRunObjects(daemon: PrivateDockerd): Promise<void> {
  await removeByRunId(daemon.runtime());
}

/** Runs the docker CLI against `host`; resolves with stdout. */
export function docker(host: string, args: readonly string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'docker',
      ['--host', host, ...args],
      {timeout: timeoutMs, killSignal: 'SIGKILL'},
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout);
        else reject(new Error(`docker ${args.join(' ')}: ${stderr.trim() || error.message}`, {cause: error}));
      },
    );
  });
}

/** `docker inspect` of one object on `host`, parsed. */
export async function dockerInspect(host: string, ref: string): Promise<DockerInspect> {
  const [first] = JSON.parse(await docker(host, ['inspect', ref])) as DockerInspect[];
  if (first === undefined) throw new Error(`docker inspect ${ref} returned nothing`);
  return first;
}

/** The part of `docker inspect` the fault tests read. */
export interface DockerInspect {
  readonly Id: string;
  readonly Name: string;
  readonly State: {
    readonly Status: string;
    readonly ExitCode: number;
    readonly OOMKilled: boolean;
    readonly StartedAt: string;
  };
  readonly Config: {readonly Labels: Record<string, string> | null};
}

/** The rpc server of the real binary on `host`, its stderr kept (the last 64 KiB) for failure messages. */
export interface RpcServerHandle {
  readonly client: RpcClient;
  readonly stderr: () => string;
  readonly pid: number;
}

/** Spawns `node <binary|script> rpc --host HOST` (or `args` instead) and initializes the typed client. */
export async function spawnRpc(
  host: string,
  options: {readonly args?: readonly string[]; readonly framing?: 'headers' | 'ndjson'} = {},
): Promise<RpcServerHandle> {
  const client = await createClient({
    spawn: {args: options.args ?? [BINARY, 'rpc', '--host', host], stderr: 'pipe'},
    framing: options.framing ?? 'headers',
    initialize: {clientInfo: {name: 'faults'}},
  });
  const child = client.child;
  if (child === undefined) throw new Error('the client spawned no server');
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-65_536);
  });
  return {client, stderr: () => stderr, pid: child.pid ?? 0};
}

/**
The supervisor role an engine reports with its connection (builds with the supervisor lease, docs/pods.md
"Supervision"): `supervising` or `observing`; undefined from a build without leases, where every engine acts.
*/
export function roleOf(state: object): string | undefined {
  return 'supervisor' in state && typeof state.supervisor === 'string' ? state.supervisor : undefined;
}

/**
A server that acts: connected to the daemon and holding the supervisor lease (when its build has one), so its
start-up reconcile and crash rule are its own to run. Resolves with the server and a recorder of its
notifications, subscribed to every pod.
*/
export async function spawnActingRpc(
  host: string,
  options: Parameters<typeof spawnRpc>[1] = {},
): Promise<{server: RpcServerHandle; recorder: Recorder}> {
  const server = await spawnRpc(host, options);
  const recorder = new Recorder(server.client);
  const acting = (state: {readonly connected: boolean}) =>
    state.connected && (roleOf(state) ?? 'supervising') === 'supervising';
  const {connection} = await server.client.api.events.subscribe();
  if (!acting(connection)) {
    await recorder.waitFor('engine/connectionChanged', acting, {
      timeoutMs: 60_000,
      what: 'the server connected and supervising',
    });
  }
  return {server, recorder};
}

/** Ends a server: shutdown when it still answers, else kill; bounded. */
export async function endRpc(handle: RpcServerHandle): Promise<void> {
  const {child} = handle.client;
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  try {
    await handle.client.shutdown();
  } catch {
    child.kill('SIGKILL');
  } finally {
    clearTimeout(timer);
  }
}

/** One notification as it arrived. */
export interface Recorded<N extends NotificationName = NotificationName> {
  readonly name: N;
  readonly params: NotificationParams[N];
  /** Date.now() when the client received it. */
  readonly receivedAt: number;
}

const RECORDED: readonly NotificationName[] = [
  'pod/statusChanged',
  'pod/removed',
  'container/statusChanged',
  'engine/connectionChanged',
];

/** Every status and connection notification a client receives, in order, with bounded waits on them. */
export class Recorder {
  readonly all: Recorded[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(client: RpcClient) {
    for (const name of RECORDED) {
      client.on(name, (params) => {
        const entry: Recorded = {name, params, receivedAt: Date.now()};
        this.all.push(entry);
        for (const wake of this.#waiters) wake();
      });
    }
  }

  /** The notifications named `name` (from index `from` on). */
  of<N extends NotificationName>(name: N, from = 0): Recorded<N>[] {
    return this.all.slice(from).filter((entry): entry is Recorded<N> => entry.name === name);
  }

  /** Waits for the first notification (from index `from` on) that `match` accepts. */
  async waitFor<N extends NotificationName>(
    name: N,
    match: (params: NotificationParams[N]) => boolean,
    options: {readonly from?: number; readonly timeoutMs?: number; readonly what?: string} = {},
  ): Promise<Recorded<N>> {
    let found: Recorded<N> | undefined;
    await this.waitUntil(
      () => {
        found = this.of(name, options.from ?? 0).find((entry) => match(entry.params));
        return found !== undefined;
      },
      {
        timeoutMs: options.timeoutMs ?? 30_000,
        what: () =>
          `a ${name} notification for ${options.what ?? 'the condition'}; got:\n` +
          this.of(name, options.from ?? 0)
            .slice(-20)
            .map((entry) => JSON.stringify(summary(entry)))
            .join('\n'),
      },
    );
    if (found === undefined) throw new Error('unreachable');
    return found;
  }

  /** Waits until `check` (run on every notification) holds; fails after `timeoutMs` with `what()`. */
  async waitUntil(
    check: () => boolean,
    options: {readonly timeoutMs: number; readonly what: () => string},
  ): Promise<void> {
    const deadline = Date.now() + options.timeoutMs;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`not within ${options.timeoutMs} ms: ${options.what()}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }
}

/** The fields of a view a summary shows. */
interface Brief {
  readonly name?: unknown;
  readonly status?: unknown;
  readonly message?: unknown;
  readonly exitCode?: unknown;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}

/** A notification in a line, for failure messages. */
export function summary(entry: Recorded): Record<string, unknown> {
  const params = entry.params as Record<string, unknown>;
  const pod = params['pod'];
  const container = params['container'];
  const podText =
    typeof pod === 'object' && pod !== null
      ? `${text((pod as Brief).name)} ${text((pod as Brief).status)} "${text((pod as Brief).message)}"`
      : pod;
  return {
    name: entry.name,
    pod: podText,
    ...(typeof container === 'object' && container !== null
      ? {
          container: [(container as Brief).name, (container as Brief).status, (container as Brief).exitCode]
            .map(text)
            .join(' '),
        }
      : {}),
    ...('action' in params ? {action: params['action']} : {}),
    ...('connected' in params ? {connected: params['connected']} : {}),
  };
}

/** Polls `check` every 100 ms until it returns a value; fails after `timeoutMs` with `what` and the last error. */
export async function poll<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `${what} not reached within ${timeoutMs} ms${last === undefined ? '' : `: ${last instanceof Error ? last.message : text(last)}`}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An error with its rpc code and data when it has them, for a failure message. */
export function describeError(error: unknown): string {
  if (isRpcError(error)) return `${error.code} ${error.message} ${JSON.stringify(error.data)}`;
  return error instanceof Error ? error.message : String(error);
}

/** Logs through ava and to stderr (seeds and timings must survive a crash of the worker). */
export function note(t: ExecutionContext, message: string): void {
  t.log(message);
  process.stderr.write(`# faults: ${message}\n`);
}
