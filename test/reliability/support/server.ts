/**
The built binary under measurement: spawned with real pipes, every byte of its stdout and stderr kept (for
the secret grep), the typed client on top, its RSS read from /proc, and optionally the loop probe preloaded
(loop-probe.mjs) so a late answer can be put down to a blocked event loop or to a starved process.
*/
import {spawn, type ChildProcess} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {PassThrough} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {createClient, type RpcClient} from '../../../rpc/client/index.js';
import {SERVER_NODE_FLAGS} from '../../../rpc/client/node-flags.js';
import {BINARY} from '../../support/rpc-client.js';

/** The loop probe, preloaded with `--import`. */
export const LOOP_PROBE = fileURLToPath(new URL('loop-probe.mjs', import.meta.url));

/** One report of the loop probe (250 ms of ticks). */
export interface LoopReport {
  /** ms since the server process started. */
  readonly at: number;
  readonly ticks: number;
  /** The longest gap between two 10 ms ticks. */
  readonly maxGapMs: number;
  /** The most CPU the main thread used between two ticks: a long one means the loop was busy. */
  readonly maxBusyMs: number;
  /** The longest wait for a CPU between two ticks: a long one means the process was starved. */
  readonly maxWaitMs: number;
  /** [gap, cpu, wait] of the longest gap. */
  readonly worst: readonly [number, number, number];
  readonly elMaxMs: number;
  readonly elP99Ms: number;
  /** process.memoryUsage() in MiB: rss, heapTotal, heapUsed, external, arrayBuffers. */
  readonly memMiB: Readonly<Record<string, number>>;
}

export interface ServerOptions {
  /** rpc (default) or mcp. */
  readonly face?: 'rpc' | 'mcp';
  readonly serverArgs?: readonly string[];
  readonly framing?: 'headers' | 'ndjson';
  /** Preload the loop probe. */
  readonly probe?: boolean;
  /** More options for node itself (a heap snapshot signal, say). */
  readonly nodeArgs?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/** A spawned server whose output is all kept. */
export interface Spawned {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything the server wrote to stdout so far. */
  stdout(): Buffer;
  /** Everything the server wrote to stderr so far (probe lines included). */
  stderr(): string;
  /** The loop probe's reports so far. */
  loopReports(): LoopReport[];
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** The server's stdout as a stream of its own (for a client), fed as bytes arrive. */
  readonly fromServer: PassThrough;
}

/** Spawns `bcs-executor rpc|mcp ...serverArgs` with pipes, keeping every output byte. */
export function spawnKept(options: ServerOptions = {}): Spawned {
  const preload = options.probe === true ? ['--import', LOOP_PROBE] : [];
  const child = spawn(
    process.execPath,
    [
      ...SERVER_NODE_FLAGS,
      ...(options.nodeArgs ?? []),
      ...preload,
      BINARY,
      options.face ?? 'rpc',
      ...(options.serverArgs ?? []),
    ],
    {stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env},
  );
  if (child.pid === undefined) throw new Error('the server did not start');
  const out: Buffer[] = [];
  let err = '';
  const fromServer = new PassThrough();
  child.stdout.on('data', (chunk: Buffer) => {
    out.push(chunk);
    fromServer.write(chunk);
  });
  child.stdout.on('end', () => fromServer.end());
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    pid: child.pid,
    stdout: () => Buffer.concat(out),
    stderr: () => err,
    loopReports: () =>
      err
        .split('\n')
        .filter((line) => line.startsWith('loop-probe '))
        .map((line) => JSON.parse(line.slice('loop-probe '.length)) as LoopReport),
    exited,
    fromServer,
  };
}

/** A spawned rpc server with the typed client on it (initialized). */
export async function startRpc(
  options: Omit<ServerOptions, 'face'> = {},
): Promise<{client: RpcClient} & Spawned> {
  const spawned = spawnKept(options);
  const client = await createClient({
    streams: {fromServer: spawned.fromServer, toServer: spawned.child.stdin!},
    framing: options.framing ?? 'headers',
    initialize: {clientInfo: {name: 'reliability'}},
  });
  return {client, ...spawned};
}

/**
Runs a full garbage collection in a server spawned with the probe and `--expose-gc` (SIGUSR2), and answers its
memory afterwards (MiB): what is live, not what V8 has yet to collect.
*/
export async function memoryAfterGc(spawned: Spawned, timeoutMs = 10_000): Promise<Record<string, number>> {
  const count = (): number =>
    spawned
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('loop-probe-gc ')).length;
  const before = count();
  spawned.child.kill('SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  while (count() === before) {
    if (Date.now() > deadline) throw new Error('the server did not report its memory after a GC');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const line = spawned
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('loop-probe-gc '))
    .at(-1)!;
  return (JSON.parse(line.slice('loop-probe-gc '.length)) as {memMiB: Record<string, number>}).memMiB;
}

/** Resident set size of a process, KiB (VmRSS of /proc/<pid>/status); 0 once it is gone. */
export function rssKiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

export interface RssTrace {
  readonly samples: readonly number[];
  /** The highest RSS while sampling: the kernel's high-water mark (VmHWM), which no short peak escapes. */
  readonly peakKiB: number;
  readonly lastKiB: number;
}

/** The kernel's RSS high-water mark of a process, KiB (VmHWM); 0 once it is gone. */
export function peakRssKiB(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

/** Resets the high-water mark to the current RSS (`5` to /proc/<pid>/clear_refs; root or the same user). */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/**
Samples a process's RSS every `everyMs` until stopped, and takes the peak from the kernel's high-water mark
(reset at the start), so a peak shorter than the sampling period still counts.
*/
export function sampleRss(pid: number, everyMs = 50): {stop(): RssTrace} {
  resetPeakRss(pid);
  const samples: number[] = [rssKiB(pid)];
  const timer = setInterval(() => samples.push(rssKiB(pid)), everyMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(rssKiB(pid));
      const live = samples.filter((kib) => kib > 0);
      return {samples: live, peakKiB: Math.max(peakRssKiB(pid), ...live), lastKiB: live.at(-1) ?? 0};
    },
  };
}

/** Time a thread spent on a CPU and waiting for one, in ms (/proc/<pid>/task/<tid>/schedstat). */
export function schedMs(pid: number, tid = pid): {readonly cpuMs: number; readonly waitMs: number} {
  try {
    const [cpu = '0', wait = '0'] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ');
    return {cpuMs: Number(cpu) / 1e6, waitMs: Number(wait) / 1e6};
  } catch {
    return {cpuMs: 0, waitMs: 0};
  }
}

/** Percentile (nearest rank) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/** MiB with one decimal, for messages. */
export function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

/** Ends the server: shutdown and exit when it still answers, else a kill after `ms`. */
export async function stopServer(client: RpcClient, spawned: Spawned, ms = 20_000): Promise<number | null> {
  const timer = setTimeout(() => spawned.child.kill('SIGKILL'), ms);
  try {
    await client.shutdown();
    return await spawned.exited;
  } catch {
    spawned.child.kill('SIGKILL');
    return await spawned.exited;
  } finally {
    clearTimeout(timer);
  }
}
