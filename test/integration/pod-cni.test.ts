/**
A CNI pod against Debian's real plugins (bridge + host-local + bandwidth) and a conf dir the test writes: the
app's address comes from the conf's subnet, the egress limit is a tbf on the ifb the host veth redirects to,
a stop and start keeps the address, and after remove no veth, no lease and no container are left.
*/
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {LABELS, LOCAL_IMAGES} from '../../src/constants.js';
import {newPod} from '../../src/pod/new-pod.js';
import {dockerCli} from '../support/container-helpers.js';
import {realRuntime} from '../support/docker.js';
import {
  deleteLinkIfExists,
  freeTestSubnet,
  ipJson,
  linkExists,
  run,
  shortId,
  tcJson,
  writeBridgeConflist,
} from '../support/netns.js';
import {
  app,
  cleanUpRealEngines,
  eventually,
  nextEvent,
  podName,
  podSpec,
  realEngine,
} from '../support/pod-helpers.js';
import {runId, runLabelFilter} from '../support/run-id.js';

test.after.always(cleanUpRealEngines);

interface CniLab {
  readonly confDir: string;
  readonly network: string;
  readonly prefix: string;
  readonly dataDir: string;
  readonly bridge: string;
}

async function makeLab(t: ExecutionContext): Promise<CniLab> {
  const id = shortId();
  const root = await mkdtemp(join(tmpdir(), `bcs-pod-cni-${id}-`));
  const confDir = join(root, 'net.d');
  const dataDir = join(root, 'ipam');
  const bridge = `bcspod${id}`;
  const network = `bcs-pod-${id}`;
  t.teardown(async () => {
    await deleteLinkIfExists(bridge);
    // Every engine watching runs a DEL when a cni pod goes, and host-local may still be writing its lock here.
    await rm(root, {recursive: true, force: true, maxRetries: 10, retryDelay: 100});
  });
  const {subnet, prefix} = await freeTestSubnet();
  await writeBridgeConflist({
    confDir,
    fileName: '10-pod.conflist',
    network,
    bridge,
    subnet,
    dataDir,
    bandwidth: true,
  });
  return {confDir, network, prefix, dataDir, bridge};
}

async function leases(lab: CniLab): Promise<string[]> {
  const names = await readdir(join(lab.dataDir, lab.network)).catch(() => []);
  return names.filter((name) => name.startsWith(lab.prefix));
}

/** The host end of the pod's eth1: the link whose index eth1 names as its peer. */
async function hostVeth(pid: number): Promise<string> {
  const [inside] = JSON.parse(
    await run('nsenter', [`--net=/proc/${pid}/ns/net`, 'ip', '-j', 'link', 'show', 'eth1']),
  ) as {link_index?: number}[];
  const links = (await ipJson(['link', 'show'])) as {ifindex: number; ifname: string}[];
  const veth = links.find((link) => link.ifindex === inside?.link_index);
  if (veth === undefined) throw new Error(`no host veth for eth1 (peer index ${String(inside?.link_index)})`);
  return veth.ifname;
}

test('a CNI pod: address from the subnet, egress limit in tc, the same address after stop/start, nothing left after remove', async (t) => {
  const lab = await makeLab(t);
  const engine = await realEngine({cni: {confDir: lab.confDir, pluginDirs: ['/usr/lib/cni']}});
  const name = podName('cni');
  const result = await engine.createPod(
    podSpec(name, [app('web'), app('side', 'sleep 3600')], {
      network: {driver: 'cni', name: lab.network},
      netLimit: {egressMbps: 10},
    }),
  );
  t.is(result.pod.status, 'running', result.pod.message);
  const {pod} = result;
  t.true(pod.ip.startsWith(lab.prefix), pod.ip);
  t.deepEqual(pod.network, {driver: 'cni', name: lab.network});

  // The app sees the address on eth1, and was told it.
  const addr = await engine.exec(`${name}/side`, {cmd: ['ip', '-4', 'addr', 'show', 'eth1']});
  t.regex(addr.stdout, new RegExp(`inet ${pod.ip.replaceAll('.', '\\.')}/24`));
  const env = await engine.exec(`${name}/web`, {cmd: ['sh', '-c', 'echo $BCS_CONTAINER_IP']});
  t.is(env.stdout.trim(), pod.ip);
  t.deepEqual(await leases(lab), [pod.ip]);

  // The egress limit: the host veth redirects to an ifb shaped by a tbf at 10 Mbit/s.
  const veth = await hostVeth(pod.infra.pid);
  const filters = await run('tc', ['filter', 'show', 'dev', veth, 'parent', 'ffff:']);
  const ifb = /Redirect to device (\S+)\)?/.exec(filters)?.[1]?.replace(/\)$/, '') ?? '';
  t.true(ifb.startsWith('bwp'), filters);
  const [tbf] = (await tcJson(['qdisc', 'show', 'dev', ifb, 'root'])) as {
    kind: string;
    options: {rate: number};
  }[];
  t.is(tbf?.kind, 'tbf');
  t.is((tbf?.options.rate ?? 0) * 8, 10_000_000);

  // A deliberate stop releases the lease; the start attaches the new netns with the same address.
  const stopped = await engine.stopPod(name);
  t.is(stopped.pod.status, 'killed');
  t.deepEqual(await leases(lab), []);
  const started = await engine.startPod(name);
  t.is(started.pod.status, 'running', started.pod.message);
  t.is(started.pod.ip, pod.ip);
  t.deepEqual(await leases(lab), [pod.ip]);
  const vethAfter = await hostVeth(started.pod.infra.pid);

  const removed = await engine.removePod(name);
  t.is(removed.removedContainers.length, 3);
  t.false(await linkExists(vethAfter), 'no veth left');
  t.false(await linkExists(ifb), 'no ifb left');
  t.deepEqual(await leases(lab), [], 'no IPAM lease left');
  t.is(
    (
      await dockerCli([
        'ps',
        '-aq',
        '--filter',
        `label=${runLabelFilter}`,
        '--filter',
        `label=dev.bcs-executor.pod=${name}`,
      ])
    ).trim(),
    '',
  );
});

test('a requested IP is the pod IP and BCS_CONTAINER_IP; one outside the subnet fails the create cleanly', async (t) => {
  const lab = await makeLab(t);
  const engine = await realEngine({cni: {confDir: lab.confDir, pluginDirs: ['/usr/lib/cni']}});
  const name = podName('cniip');
  const ip = `${lab.prefix}77`;
  const {pod} = await engine.createPod(
    podSpec(name, [app('a', 'sleep 3600')], {network: {driver: 'cni', name: lab.network, ip}}),
  );
  t.is(pod.status, 'running', pod.message);
  t.is(pod.ip, ip);
  t.is((await engine.exec(`${name}/a`, {cmd: ['sh', '-c', 'echo $BCS_CONTAINER_IP']})).stdout.trim(), ip);
  await engine.removePod(name);
  t.deepEqual(await leases(lab), []);

  const bad = podName('cnibad');
  const failed = await engine.createPod(
    podSpec(bad, [app('a', 'sleep 3600')], {network: {driver: 'cni', name: lab.network, ip: '10.232.0.5'}}),
  );
  t.is(failed.pod.status, 'failed');
  t.regex(failed.pod.message, /10\.232\.0\.5/);
  t.deepEqual(await leases(lab), []);
  t.deepEqual(await ipJson(['link', 'show', 'master', lab.bridge]), [], 'no veth on the bridge');
  t.is((await dockerCli(['ps', '-aq', '--filter', `label=dev.bcs-executor.pod=${bad}`])).trim(), '');
});

test('the seed model (newPod from tasks) on the cni driver: net args, net status from the netns, teardown', async (t) => {
  const lab = await makeLab(t);
  const runtime = await realRuntime();
  const name = podName('seedcni');
  const labels = [{key: LABELS.testRun, value: runId}];
  const pod = newPod(
    [
      {
        name: `${name}-a`,
        image: LOCAL_IMAGES.demo,
        command: 'sleep',
        args: ['3600'],
        networkName: lab.network,
        netLimit: {egressLimit: 5},
        labels,
        autoRemove: false,
        killPolicy: 1,
      },
      {
        name: `${name}-b`,
        image: LOCAL_IMAGES.demo,
        command: 'sleep',
        args: ['3600'],
        labels,
        autoRemove: false,
        killPolicy: 1,
      },
    ],
    {},
    {runtime, name, driver: 'cni', cni: {confDir: lab.confDir, pluginDirs: ['/usr/lib/cni']}},
  );
  await pod.init();
  await pod.start();
  t.is(await pod.getPodStatus(), 'running');
  const ip = await pod.getIPAddr();
  t.true(ip.startsWith(lab.prefix), ip);
  t.false(await pod.injection());
  t.deepEqual(await pod.getNetArgs(), [
    ['CTNR_NET_EGRESS_RATE', '5120'],
    ['IgnoreUnknown', '1'],
  ]);
  t.is(await pod.getNetns(), `/proc/${await pod.getPid()}/ns/net`);
  const status = JSON.parse(await pod.getNetStatus()) as {
    driver: string;
    interfaces: {ifName: string; addresses: string[]}[];
  };
  t.is(status.driver, 'cni');
  t.deepEqual(status.interfaces.find((link) => link.ifName === 'eth1')?.addresses, [`${ip}/24`]);
  t.true((await pod.getContainers()).every((info) => info.ipAddress === ip));
  await pod.stop();
  t.is(await pod.getPodStatus(), 'killed');
  await pod.finit();
  t.deepEqual(await leases(lab), []);
  t.is((await dockerCli(['ps', '-aq', '--filter', `label=${LABELS.pod}=${name}`])).trim(), '');
});

test('a CNI pod removed out of band (docker rm -f) still has its lease and links released', async (t) => {
  const lab = await makeLab(t);
  const engine = await realEngine({cni: {confDir: lab.confDir, pluginDirs: ['/usr/lib/cni']}});
  const name = podName('cnirm');
  const {pod} = await engine.createPod(
    podSpec(name, [app('a', 'sleep 3600')], {
      network: {driver: 'cni', name: lab.network},
      netLimit: {egressMbps: 10},
    }),
  );
  t.is(pod.status, 'running', pod.message);
  const veth = await hostVeth(pod.infra.pid);
  t.deepEqual(await leases(lab), [pod.ip]);
  const removed = nextEvent(engine, 'pod:removed', (event) => event.name === name, 20_000);
  await dockerCli(['rm', '-f', pod.containers[0]?.id ?? '', pod.id]);
  await removed;
  await eventually(
    async () => ((await leases(lab)).length === 0 ? true : undefined),
    15_000,
    'the lease released',
  );
  // The kernel destroys the veth pair with the netns, asynchronously (slower on a loaded host).
  t.true(
    await eventually(async () => ((await linkExists(veth)) ? undefined : true), 15_000, 'the veth gone'),
  );
  // The supervising engine runs the DEL (the lease released above); when that is this one, it says so.
  if (engine.connection().supervisor === 'supervising') {
    const said = await eventually(
      () =>
        engine.activity().some((entry) => entry.pod === name && /CNI/.test(entry.message)) ? true : undefined,
      15_000,
      'this engine ran the DEL',
    );
    t.true(said);
  }
});
