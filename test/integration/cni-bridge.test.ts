/**
The CNI driver against Debian's real plugins (bridge + host-local + bandwidth), as root, in network
namespaces the tests make themselves. Each test has its own netns, bridge, 10.231.x.0/24 subnet, network
name and host-local dataDir, and its teardown removes all of them even when an assertion failed.
*/
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {isEngineError} from '../../src/errors.js';
import {
  cniAdd,
  cniDel,
  type CniAddResult,
  type CniNetworkOptions,
} from '../../src/network/cni/cni-network.js';
import {describeNetns} from '../../src/network/cni/describe-netns.js';
import {
  createTestNetns,
  deleteLinkIfExists,
  freeTestSubnet,
  ipJson,
  linkExists,
  run,
  shortId,
  tcJson,
  type TestNetns,
  writeBridgeConflist,
} from '../support/netns.js';

const PLUGIN_DIRS = ['/usr/lib/cni'];

interface Lab {
  readonly netns: TestNetns;
  readonly bridge: string;
  readonly network: string;
  readonly prefix: string;
  readonly dataDir: string;
  readonly options: CniNetworkOptions;
  /** Host links a result reported: removed in teardown if DEL left them. */
  readonly hostLinks: Set<string>;
  add(extra?: Partial<CniNetworkOptions>): Promise<CniAddResult>;
}

async function makeLab(t: ExecutionContext): Promise<Lab> {
  const id = shortId();
  const root = await mkdtemp(join(tmpdir(), `bcs-cni-it-${id}-`));
  const confDir = join(root, 'net.d');
  const dataDir = join(root, 'ipam');
  const bridge = `bcsbr${id}`;
  const network = `bcs-test-${id}`;
  const hostLinks = new Set<string>();
  // Filled in as things get made, so the teardown (registered first) removes whatever exists.
  const made: {netns?: TestNetns; options?: CniNetworkOptions} = {};

  t.teardown(async () => {
    // DEL first (it removes the ifb and the lease), then what DEL does not own: the netns and the bridge.
    if (made.options !== undefined) await cniDel(made.options).catch(() => undefined);
    await made.netns?.remove();
    for (const link of hostLinks) await deleteLinkIfExists(link);
    await deleteLinkIfExists(bridge);
    await rm(root, {recursive: true, force: true});
  });

  const netns = await createTestNetns(id);
  made.netns = netns;
  const {subnet, prefix} = await freeTestSubnet();
  await writeBridgeConflist({
    confDir,
    fileName: '10-test.conflist',
    network,
    bridge,
    subnet,
    dataDir,
    bandwidth: true,
  });
  const base: CniNetworkOptions = {
    network,
    containerId: network,
    netnsPath: netns.path,
    ifName: 'eth1',
    confDir,
    pluginDirs: PLUGIN_DIRS,
    timeoutMs: 20_000,
  };
  made.options = base;
  const lab: Lab = {
    netns,
    bridge,
    network,
    prefix,
    dataDir,
    options: base,
    hostLinks,
    async add(extra = {}) {
      made.options = {...base, ...extra};
      const added = await cniAdd(made.options);
      for (const link of added.interfaces) {
        if (link.sandbox === undefined && link.name !== bridge) hostLinks.add(link.name);
      }
      return added;
    },
  };
  return lab;
}

function hostVeth(lab: Lab, added: CniAddResult): string {
  const veth = added.interfaces.find(
    (link) => link.sandbox === undefined && link.name !== lab.bridge && !link.name.startsWith('bwp'),
  );
  if (veth === undefined) throw new Error(`no host veth in ${JSON.stringify(added.interfaces)}`);
  return veth.name;
}

async function leases(lab: Lab): Promise<string[]> {
  const names = await readdir(join(lab.dataDir, lab.network)).catch(() => []);
  return names.filter((name) => name.startsWith(lab.prefix));
}

/** IPv4 addresses of `ifName` in the lab's netns (the kernel adds an fe80:: of its own). */
async function netnsAddresses(lab: Lab, ifName: string): Promise<string[]> {
  const links = (await ipJson(['addr', 'show', 'dev', ifName], lab.netns.name)) as {
    addr_info?: {local: string; prefixlen: number; family: string}[];
  }[];
  return links
    .flatMap((link) => link.addr_info ?? [])
    .filter((info) => info.family === 'inet')
    .map((info) => `${info.local}/${info.prefixlen}`);
}

test('ADD gives the netns an address from the subnet; DEL leaves no veth and no lease', async (t) => {
  const lab = await makeLab(t);
  const added = await lab.add();

  t.true(added.podIP.startsWith(lab.prefix), added.podIP);
  t.is(added.ips[0]?.address, `${added.podIP}/24`);
  t.is(added.ips[0]?.gateway, `${lab.prefix}1`);
  t.true((await netnsAddresses(lab, 'eth1')).includes(`${added.podIP}/24`));
  const described = await describeNetns(lab.netns.path);
  t.deepEqual(described.find((link) => link.ifName === 'eth1')?.addresses, [`${added.podIP}/24`]);
  t.regex(described.find((link) => link.ifName === 'eth1')?.mac ?? '', /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);

  const veth = hostVeth(lab, added);
  const [vethLink] = (await ipJson(['link', 'show', 'dev', veth])) as {master?: string}[];
  t.is(vethLink?.master, lab.bridge);
  t.false(
    added.interfaces.some((link) => link.name.startsWith('bwp')),
    'no limit asked, no ifb',
  );
  t.deepEqual(await leases(lab), [added.podIP]);
  t.regex(await readFile(join(lab.dataDir, lab.network, added.podIP), 'utf8'), new RegExp(lab.network));

  await cniDel(lab.options);
  t.false(await linkExists(veth));
  t.deepEqual(await leases(lab), []);
  t.false(await linkExists('eth1', lab.netns.name));
  t.deepEqual(await ipJson(['link', 'show', 'master', lab.bridge]), []);
});

test('a requested IP is honoured, and released by DEL', async (t) => {
  const lab = await makeLab(t);
  const ip = `${lab.prefix}77`;
  const added = await lab.add({ip});
  t.is(added.podIP, ip);
  t.deepEqual(await netnsAddresses(lab, 'eth1'), [`${ip}/24`]);
  t.deepEqual(await leases(lab), [ip]);
  await cniDel({...lab.options, ip});
  t.deepEqual(await leases(lab), []);
});

test('an egress limit is a tbf on the ifb that the host veth redirects to; DEL removes the ifb', async (t) => {
  const lab = await makeLab(t);
  const added = await lab.add({egressMbps: 10});
  const ifb = added.interfaces.find((link) => link.name.startsWith('bwp'))?.name;
  t.truthy(ifb, JSON.stringify(added.interfaces));
  if (ifb === undefined) return;
  const veth = hostVeth(lab, added);

  // bandwidth 1.1.x: traffic leaving the pod enters the host veth, is redirected to the ifb, and is shaped there.
  const [tbf] = (await tcJson(['qdisc', 'show', 'dev', ifb, 'root'])) as {
    kind: string;
    options: {rate: number; burst: number};
  }[];
  t.is(tbf?.kind, 'tbf');
  t.is((tbf?.options.rate ?? 0) * 8, 10_000_000, 'rate is 10 Mbit/s (tc reports bytes/s)');
  t.is((tbf?.options.burst ?? 0) * 8, 1_000_000, 'burst is 100 ms at that rate');
  const vethQdiscs = (await tcJson(['qdisc', 'show', 'dev', veth])) as {kind: string}[];
  t.true(vethQdiscs.some((qdisc) => qdisc.kind === 'ingress'));
  t.regex(
    await run('tc', ['filter', 'show', 'dev', veth, 'parent', 'ffff:']),
    new RegExp(`Redirect to device ${ifb}`),
  );

  await cniDel({...lab.options, egressMbps: 10});
  t.false(await linkExists(ifb));
  t.false(await linkExists(veth));
});

test('a failed ADD is undone by DEL: no veth on the bridge, no interface in the netns, no lease', async (t) => {
  const lab = await makeLab(t);
  // host-local refuses an IP outside its range, after bridge has already made the veth pair.
  const error = await t.throwsAsync(lab.add({ip: '10.232.0.5'}));
  t.true(isEngineError(error));
  if (!isEngineError(error)) return;
  t.is(error.code, 'ENGINE_ERROR');
  t.regex(String(error.details.cniMsg), /10\.232\.0\.5/);
  t.is(error.details.cleanupError, undefined);
  t.deepEqual(await ipJson(['link', 'show', 'master', lab.bridge]), []);
  t.false(await linkExists('eth1', lab.netns.name));
  t.deepEqual(await leases(lab), []);
});

test('DEL after the netns is gone still releases the lease, and DEL twice is fine', async (t) => {
  const lab = await makeLab(t);
  const added = await lab.add();
  t.deepEqual(await leases(lab), [added.podIP]);
  await lab.netns.remove();
  await cniDel(lab.options);
  t.deepEqual(await leases(lab), []);
  await cniDel(lab.options);
  t.false(await linkExists(hostVeth(lab, added)));
});
