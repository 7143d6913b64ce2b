/**
Pings a server over and over while other work runs on the same connection, one ping at a time, and keeps
every round trip with how long the server's and this process's main threads waited for a CPU meanwhile, so
a slow answer can be told apart: the server's loop was busy, or the machine gave nobody a CPU.
*/
import {readdirSync} from 'node:fs';
import type {RpcClient} from '../../../rpc/client/index.js';
import {schedMs} from './server.js';

export interface Ping {
  /** ms since the pinger started (undefined for a ping sent on its own). */
  readonly at?: number;
  readonly rttMs: number;
  /** What was going on (set by the test). */
  readonly phase: string;
  /** The server's main thread: ms on a CPU during the round trip. */
  readonly serverCpuMs: number;
  /** The server's threads: ms waiting for a CPU during the round trip. */
  readonly serverWaitMs: number;
  /** This process's main thread, the same: its own work (other replies) delays a reply's reading too. */
  readonly clientCpuMs: number;
  readonly clientWaitMs: number;
}

export interface Pinger {
  /** Labels the pings sent from now on. */
  phase(name: string): void;
  /** Stops and returns every ping. A failed ping rejects here. */
  stop(): Promise<Ping[]>;
}

/** The server's threads: ms waiting for a CPU, summed (a main thread may wait on a starved helper thread). */
function serverWaitMs(pid: number): number {
  let total = 0;
  for (const tid of threadIds(pid)) total += schedMs(pid, tid).waitMs;
  return total;
}

function threadIds(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [];
  }
}

/** One ping, measured: its round trip and what both main threads did meanwhile. */
export async function measuredPing(
  client: RpcClient,
  serverPid: number,
  phase: string,
  at?: number,
): Promise<Ping> {
  const server = schedMs(serverPid);
  const serverWait = serverWaitMs(serverPid);
  const self = schedMs(process.pid);
  const sent = performance.now();
  await client.api.system.ping({}, {signal: AbortSignal.timeout(30_000)});
  const rttMs = performance.now() - sent;
  const serverAfter = schedMs(serverPid);
  const selfAfter = schedMs(process.pid);
  return {
    ...(at === undefined ? {} : {at}),
    rttMs,
    phase,
    serverCpuMs: serverAfter.cpuMs - server.cpuMs,
    serverWaitMs: serverWaitMs(serverPid) - serverWait,
    clientCpuMs: selfAfter.cpuMs - self.cpuMs,
    clientWaitMs: selfAfter.waitMs - self.waitMs,
  };
}

/** Starts pinging `client` (whose server is `serverPid`) every `gapMs`. */
export function startPinger(client: RpcClient, serverPid: number, gapMs = 10): Pinger {
  const pings: Ping[] = [];
  const started = performance.now();
  let phase = 'start';
  let running = true;
  const loop = (async () => {
    while (running) {
      pings.push(await measuredPing(client, serverPid, phase, performance.now() - started));
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  })();
  return {
    phase(name) {
      phase = name;
    },
    async stop() {
      running = false;
      await loop;
      return pings;
    },
  };
}

/**
The part of a round trip the server is to blame for: the round trip less the time the server's main thread
waited for a CPU and the time this process's main thread waited for one or was busy with its own work. (The
parts may overlap, so this errs towards excusing; the loop probe's busy time is the strict check.)
*/
export function unexplainedMs(ping: Ping): number {
  return Math.max(0, ping.rttMs - ping.serverWaitMs - ping.clientWaitMs - ping.clientCpuMs);
}
