/**
A private dockerd for the fault tests, so that stopping and restarting it disturbs no one else's tests: its own
socket (`/run/bcs-faults-<id>/docker.sock`), data root, exec root (where dockerd 20.10 spawns a containerd of its
own), pid file, an empty config file (so /etc/docker/daemon.json is not read), and a bridge of its own
(`bcsf<id>`, precreated with the first address of a free 10.233.x.0/24). `--iptables=false`, `--ip-masq=false`
and `--ip-forward=false`: a second daemon touching iptables would rewrite the shared daemon's DOCKER chains.

`PrivateDockerd.start()` makes one and builds the local images into it; `stop()` (SIGTERM, wait) and `restart()`
(the same data root) drive the fault; `teardown()` removes everything it made. Its state is a JSON file, so a
process that did not start it (an ava worker under scripts/test-faults) can `attach()` and drive it too. Every
wait is bounded.
*/
import {spawn, execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, openSync, closeSync, readFileSync} from 'node:fs';
import {mkdir, readFile, rm, rmdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {buildLocalImages, DockerRuntime} from '../../src/index.js';

/** Names the state file of a daemon started by scripts/test-faults, for the test workers to attach to. */
export const FAULTS_DAEMON_ENV = 'BCS_FAULTS_DAEMON';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything needed to drive (or remove) one private daemon; kept as JSON in `stateFile`. */
export interface PrivateDockerdState {
  readonly id: string;
  /** `unix:///run/bcs-faults-<id>/docker.sock`: what `--host` takes. */
  readonly host: string;
  readonly socket: string;
  readonly runDir: string;
  readonly dataRoot: string;
  readonly execRoot: string;
  readonly pidFile: string;
  readonly logFile: string;
  readonly configFile: string;
  readonly stateFile: string;
  readonly bridge: string;
  /** The bridge's network, e.g. `10.233.17.0/24`. */
  readonly subnet: string;
  /** dockerd's arguments, the same on every start. */
  readonly args: readonly string[];
}

/** Runs a command without a shell; resolves with stdout, rejects with stderr. */
function run(command: string, args: readonly string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, {timeout: timeoutMs, killSignal: 'SIGKILL'}, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else
        reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`, {cause: error}));
    });
  });
}

/** Whether a process with this pid exists and is not a zombie (a reaped-late child must count as gone). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state is the field after the parenthesised command name.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function readPid(file: string): number {
  try {
    return Number(readFileSync(file, 'utf8').trim());
  } catch {
    return 0;
  }
}

/** A third octet for 10.233.x.0/24 that no address or route of this host uses. */
async function freeSubnet(): Promise<string> {
  const used = (await run('ip', ['-4', 'route', 'show', 'table', 'all'])) + (await run('ip', ['-4', 'addr']));
  for (let attempt = 0; attempt < 64; attempt += 1) {
    const third = 1 + ((randomBytes(1)[0] ?? 0) % 254);
    if (!used.includes(`10.233.${third}.`)) return `10.233.${third}.0/24`;
  }
  throw new Error('no free 10.233.x.0/24 for a private dockerd bridge');
}

/** One private dockerd; see the module comment. */
export class PrivateDockerd {
  readonly state: PrivateDockerdState;

  private constructor(state: PrivateDockerdState) {
    this.state = state;
  }

  /** `--host` for the binary, `DOCKER_HOST` for the CLI. */
  get host(): string {
    return this.state.host;
  }

  /** A DockerRuntime on this daemon (a new one each call: after a restart old connections are dead). */
  runtime(): DockerRuntime {
    return new DockerRuntime({endpoint: this.state.host});
  }

  /** Makes the directories and the bridge, starts the daemon, waits until it answers, builds the local images. */
  static async start(
    options: {readonly id?: string; readonly timeoutMs?: number} = {},
  ): Promise<PrivateDockerd> {
    const id = options.id ?? randomBytes(3).toString('hex');
    const runDir = `/run/bcs-faults-${id}`;
    const execRoot = join(runDir, 'exec');
    const socket = join(runDir, 'docker.sock');
    const pidFile = join(runDir, 'docker.pid');
    const configFile = join(runDir, 'daemon.json');
    const dataRoot = `/var/lib/bcs-faults-${id}`;
    const bridge = `bcsf${id}`;
    const subnet = await freeSubnet();
    const args = [
      '--config-file',
      configFile,
      '--host',
      `unix://${socket}`,
      '--data-root',
      dataRoot,
      '--exec-root',
      execRoot,
      '--pidfile',
      pidFile,
      '--bridge',
      bridge,
      '--iptables=false',
      '--ip-masq=false',
      '--ip-forward=false',
      // A stop of the daemon must not wait long on a container that ignores SIGTERM.
      '--shutdown-timeout',
      '10',
    ];
    const state: PrivateDockerdState = {
      id,
      host: `unix://${socket}`,
      socket,
      runDir,
      dataRoot,
      execRoot,
      pidFile,
      logFile: join(runDir, 'dockerd.log'),
      configFile,
      stateFile: join(runDir, 'state.json'),
      bridge,
      subnet,
      args,
    };
    const daemon = new PrivateDockerd(state);
    try {
      await mkdir(runDir, {recursive: true});
      await mkdir(dataRoot, {recursive: true});
      await writeFile(configFile, '{}\n');
      await writeFile(state.stateFile, `${JSON.stringify(state, null, 2)}\n`);
      const gateway = subnet.replace(/\.0\/24$/, '.1/24');
      await run('ip', ['link', 'add', bridge, 'type', 'bridge']);
      await run('ip', ['addr', 'add', gateway, 'dev', bridge]);
      await run('ip', ['link', 'set', bridge, 'up']);
      await daemon.launch(options.timeoutMs ?? 60_000);
      await buildLocalImages(daemon.runtime(), {signal: AbortSignal.timeout(120_000)});
      return daemon;
    } catch (error) {
      await daemon.teardown().catch(() => undefined);
      throw error;
    }
  }

  /** A daemon another process started, from its state file. */
  static attach(stateFile: string): PrivateDockerd {
    return new PrivateDockerd(JSON.parse(readFileSync(stateFile, 'utf8')) as PrivateDockerdState);
  }

  /** The daemon named by BCS_FAULTS_DAEMON, or undefined when the variable is unset. */
  static fromEnv(): PrivateDockerd | undefined {
    const file = process.env[FAULTS_DAEMON_ENV];
    return file === undefined || file === '' ? undefined : PrivateDockerd.attach(file);
  }

  /** dockerd's pid (0 when it is not running). */
  pid(): number {
    const pid = readPid(this.state.pidFile);
    return processAlive(pid) ? pid : 0;
  }

  /** Whether `/_ping` answers within `timeoutMs`. */
  async answers(timeoutMs = 2000): Promise<boolean> {
    if (!existsSync(this.state.socket)) return false;
    try {
      await this.runtime().ping({signal: AbortSignal.timeout(timeoutMs)});
      return true;
    } catch {
      return false;
    }
  }

  /** Polls `/_ping` every 50 ms; resolves with the time it first answered (ms since the epoch). */
  async waitUntilAnswering(
    timeoutMs = 60_000,
    gaveUp: () => string | undefined = () => undefined,
  ): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await this.answers(1000)) return Date.now();
      const reason = gaveUp();
      if (reason !== undefined)
        throw new Error(`dockerd ${this.state.id} ${reason}; its log:\n${this.logTail()}`);
      await sleep(50);
    }
    throw new Error(
      `dockerd ${this.state.id} did not answer within ${timeoutMs} ms; its log:\n${this.logTail()}`,
    );
  }

  /** The last lines of the daemon's log (for failure messages). */
  logTail(lines = 30): string {
    try {
      return readFileSync(this.state.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Starts dockerd in a session of its own (it outlives this process) and waits until it answers. */
  private async launch(timeoutMs: number): Promise<number> {
    const log = openSync(this.state.logFile, 'a');
    let exit: string | undefined;
    try {
      const child = spawn('dockerd', [...this.state.args], {detached: true, stdio: ['ignore', log, log]});
      child.once('exit', (code, signal) => {
        exit = `exited on start (${signal ?? code ?? '?'})`;
      });
      child.once('error', (error) => {
        exit = `could not be started (${error.message})`;
      });
      child.unref();
    } finally {
      closeSync(log);
    }
    return this.waitUntilAnswering(timeoutMs, () => exit);
  }

  /**
  SIGTERM to dockerd, then waits until it and its containerd are gone (dockerd first stops every container:
  without live-restore that is what a daemon restart does to them). Resolves with when it was gone.
  */
  async stop(timeoutMs = 60_000): Promise<number> {
    const pid = this.pid();
    const containerd = this.containerdPid();
    if (pid !== 0) process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (processAlive(pid) || processAlive(containerd)) {
      if (Date.now() > deadline) {
        throw new Error(`dockerd ${this.state.id} (pid ${pid}) did not stop within ${timeoutMs} ms`);
      }
      // dockerd stops its containerd on the way out; one left behind alone is ours to end.
      if (!processAlive(pid) && processAlive(containerd)) process.kill(containerd, 'SIGTERM');
      await sleep(50);
    }
    return Date.now();
  }

  /** Starts dockerd again on the same data root; resolves with when it first answered. */
  async restart(timeoutMs = 60_000): Promise<number> {
    if (this.pid() !== 0) throw new Error(`dockerd ${this.state.id} is still running`);
    return this.launch(timeoutMs);
  }

  /** The pid of the containerd dockerd spawned under its exec root (0 when none runs). */
  containerdPid(): number {
    const pid = readPid(join(this.state.execRoot, 'containerd', 'containerd.pid'));
    return processAlive(pid) ? pid : 0;
  }

  /**
  Removes everything: every container in the daemon (it is private: all of them are the fault tests'), the
  daemon and its containerd, any mount left under its roots, its directories and its bridge. Safe to call twice
  and on a half-made daemon.
  */
  async teardown(): Promise<void> {
    const problems: string[] = [];
    if (this.pid() !== 0) {
      try {
        const runtime = this.runtime();
        const signal = AbortSignal.timeout(60_000);
        const containers = await runtime.listContainers({all: true, signal});
        await Promise.all(
          containers.map((c) => runtime.removeContainer(c.id, {force: true, signal}).catch(() => undefined)),
        );
      } catch (error) {
        problems.push(`removing containers: ${String(error)}`);
      }
      await this.stop().catch((error: unknown) => {
        problems.push(String(error));
        const pid = this.pid();
        if (pid !== 0) process.kill(pid, 'SIGKILL');
      });
    }
    await this.unmountUnder([this.state.execRoot, this.state.dataRoot, this.state.runDir]);
    for (const dir of [this.state.dataRoot, this.state.runDir]) {
      await rm(dir, {recursive: true, force: true, maxRetries: 5, retryDelay: 200}).catch(
        (error: unknown) => {
          problems.push(`rm ${dir}: ${String(error)}`);
        },
      );
    }
    await run('ip', ['link', 'delete', 'dev', this.state.bridge]).catch((error: unknown) => {
      if (!/does not exist|Cannot find device/.test(String(error))) problems.push(String(error));
    });
    if (problems.length > 0) throw new Error(`tearing down dockerd ${this.state.id}: ${problems.join('; ')}`);
  }

  /** Lazily unmounts whatever is still mounted under `roots` (deepest first): netns files, overlay layers. */
  private async unmountUnder(roots: readonly string[]): Promise<void> {
    const mounts = (await readFile('/proc/self/mounts', 'utf8'))
      .split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      .filter((point) => roots.some((root) => point === root || point.startsWith(`${root}/`)))
      .sort((a, b) => b.length - a.length);
    for (const point of mounts) await run('umount', ['-l', point]).catch(() => undefined);
    // Removing a directory that was a mount point can race the lazy unmount; rm retries cover the rest.
    for (const point of mounts) await rmdir(point).catch(() => undefined);
  }
}
