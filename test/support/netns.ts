/**
Network namespaces and links for integration tests that need root: each test makes its own netns
(`bcs-test-<id>`) and removes it, and the helpers touch only names the test gives them. Every command
has a deadline.
*/
import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {access, mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';

const COMMAND_TIMEOUT_MS = 10_000;

/** A short random id (hex) for names that must be unique to a run and fit in 15-character link names. */
export function shortId(bytes = 3): string {
  return randomBytes(bytes).toString('hex');
}

/** Runs a command without a shell and returns its stdout; fails with its stderr. */
export function run(
  command: string,
  args: readonly string[],
  timeoutMs = COMMAND_TIMEOUT_MS,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, {timeout: timeoutMs, killSignal: 'SIGKILL'}, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else
        reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`, {cause: error}));
    });
  });
}

/** `ip -j <args>` (in `netns` when given), parsed. Empty output (nothing matched) is `[]`. */
export async function ipJson(args: readonly string[], netns?: string): Promise<unknown[]> {
  const prefix = netns === undefined ? [] : ['-n', netns];
  const out = await run('ip', [...prefix, '-j', ...args]);
  return out.trim() === '' ? [] : (JSON.parse(out) as unknown[]);
}

/** `tc -j <args>`, parsed. */
export async function tcJson(args: readonly string[]): Promise<unknown[]> {
  const out = await run('tc', ['-j', ...args]);
  return out.trim() === '' ? [] : (JSON.parse(out) as unknown[]);
}

/** Whether a link of that name exists in the host netns (or in `netns`). */
export async function linkExists(name: string, netns?: string): Promise<boolean> {
  try {
    return (await ipJson(['link', 'show', 'dev', name], netns)).length > 0;
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) return false;
    throw error;
  }
}

/** Deletes a host link the test created, if it is still there. */
export async function deleteLinkIfExists(name: string): Promise<void> {
  if (await linkExists(name)) await run('ip', ['link', 'delete', 'dev', name]);
}

/** A network namespace made by a test. */
export interface TestNetns {
  readonly name: string;
  /** Its bind mount, usable as CNI_NETNS or with nsenter --net. */
  readonly path: string;
  /** Deletes it; safe to call twice. Interfaces inside go with it (and their veth peers on the host). */
  remove(): Promise<void>;
}

/** Makes `bcs-test-<id>`; the caller registers `remove` in its teardown. */
export async function createTestNetns(id: string = shortId()): Promise<TestNetns> {
  const name = `bcs-test-${id}`;
  await run('ip', ['netns', 'add', name]);
  const path = `/run/netns/${name}`;
  await access(path);
  let removed = false;
  return {
    name,
    path,
    async remove() {
      if (removed) return;
      removed = true;
      const names = (await run('ip', ['netns', 'list'])).split('\n').map((line) => line.split(' ')[0]);
      if (names.includes(name)) await run('ip', ['netns', 'delete', name]);
    },
  };
}

/**
Picks a third octet x for a 10.231.x.0/24 test subnet that no host route or address uses, so a test's
bridge cannot collide with anything on the machine (docker0 is 172.17.0.0/16, far from here).
*/
export async function freeTestSubnet(): Promise<{subnet: string; prefix: string}> {
  const used = JSON.stringify([
    ...(await ipJson(['route', 'show', 'table', 'all'])),
    ...(await ipJson(['addr'])),
  ]);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const third = 1 + ((randomBytes(1)[0] ?? 0) % 254);
    const prefix = `10.231.${third}.`;
    if (!used.includes(`"${prefix}`)) return {subnet: `${prefix}0/24`, prefix};
  }
  throw new Error('no free 10.231.x.0/24 subnet for the test');
}

/** A bridge + host-local network for a test, in a conf dir of its own. */
export interface TestBridgeNetwork {
  readonly confDir: string;
  /** The conflist's file name (`10-<what>.conflist`). */
  readonly fileName: string;
  readonly network: string;
  readonly bridge: string;
  readonly subnet: string;
  /** host-local's lease directory. */
  readonly dataDir: string;
  /** Add the bandwidth plugin (egress limits). */
  readonly bandwidth?: boolean;
}

/**
Writes a CNI conflist: Debian's bridge (no gateway address and no masquerade, so nothing outside the test's own
links changes) with host-local IPAM, and the bandwidth plugin when asked.
*/
export async function writeBridgeConflist(options: TestBridgeNetwork): Promise<string> {
  await mkdir(options.confDir, {recursive: true});
  const path = join(options.confDir, options.fileName);
  await writeFile(
    path,
    JSON.stringify({
      cniVersion: '1.0.0',
      name: options.network,
      plugins: [
        {
          type: 'bridge',
          bridge: options.bridge,
          isGateway: false,
          ipMasq: false,
          ipam: {type: 'host-local', subnet: options.subnet, dataDir: options.dataDir},
        },
        ...(options.bandwidth === true ? [{type: 'bandwidth', capabilities: {bandwidth: true}}] : []),
      ],
    }),
  );
  return path;
}
