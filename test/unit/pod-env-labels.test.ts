import {hostname} from 'node:os';
import test from 'ava';
import {LABELS} from '../../src/constants.js';
import {
  creatorLiveness,
  currentCreator,
  parseCreator,
  processIsAlive,
  processStartMs,
} from '../../src/pod/creator.js';
import {
  appLabels,
  infraLabels,
  readCniLabels,
  readCreationLabels,
  readMemberLabels,
} from '../../src/pod/labels.js';
import {pickNodeIp} from '../../src/pod/node-ip.js';
import {withPodEnv} from '../../src/pod/pod-env.js';

test('the pod env: task env, then BCS_*, then BCS_CONTAINER_IP; one envOperCopy; duplicates last-wins', (t) => {
  const task = {
    name: 'p-a',
    image: 'x',
    env: [
      {key: 'IP', value: '$BCS_CONTAINER_IP'},
      {key: 'POD', value: '$BCS_POD_ID'},
      {key: 'CHAIN', value: '$IP'},
      {key: 'BCS_POD_ID', value: 'user-said'},
      {key: 'DUP', value: '1'},
      {key: 'DUP', value: '2'},
    ],
  };
  const result = withPodEnv(task, {podId: 'web', nodeIp: '192.0.2.1', containerIp: '10.0.0.7'});
  t.deepEqual(result.env, [
    {key: 'IP', value: '10.0.0.7'},
    {key: 'POD', value: 'web'},
    // One pass over a snapshot: `$IP` is what IP was before the pass.
    {key: 'CHAIN', value: '$BCS_CONTAINER_IP'},
    {key: 'DUP', value: '2'},
    {key: 'BCS_ETH_NAME', value: 'eth1'},
    {key: 'BCS_CNI_NAME', value: 'eth1'},
    {key: 'BCS_NODE_IP', value: '192.0.2.1'},
    {key: 'BCS_POD_ID', value: 'web'},
    {key: 'BCS_CONTAINER_IP', value: '10.0.0.7'},
  ]);
  t.is(task.env[0]?.value, '$BCS_CONTAINER_IP', 'the task itself is left as it was');
});

test("labels round-trip: members, creation record, CNI teardown data; engine labels win over the pod's", (t) => {
  const infra = infraLabels({
    pod: 'web',
    specHash: 'abc',
    specJson: '{}',
    containers: 2,
    creator: 'h:1:2',
    createdAt: 1234,
    autostart: false,
    cni: {network: 'n', confDir: '/c', ifName: 'eth1', ip: '10.1.1.1', egressMbps: 5},
    podLabels: {team: 'x', [LABELS.pod]: 'spoofed'},
  });
  t.is(infra.team, 'x');
  t.deepEqual(readMemberLabels(infra), {
    pod: 'web',
    role: 'infra',
    container: 'infra',
    order: -1,
    specHash: 'abc',
  });
  t.deepEqual(readCreationLabels(infra), {
    containers: 2,
    creator: 'h:1:2',
    createdAt: 1234,
    autostart: false,
  });
  t.deepEqual(readCniLabels(infra), {
    network: 'n',
    confDir: '/c',
    ifName: 'eth1',
    ip: '10.1.1.1',
    egressMbps: 5,
  });
  const member = appLabels({pod: 'web', specHash: 'abc', container: 'db', order: 1, taskLabels: {team: 'y'}});
  t.deepEqual(readMemberLabels(member), {
    pod: 'web',
    role: 'app',
    container: 'db',
    order: 1,
    specHash: 'abc',
  });
  t.is(readCniLabels(member), undefined);
  t.is(readMemberLabels({[LABELS.pod]: 'web'}), undefined, 'not managed');
});

test('the creator id names this host, pid and start time, and this process is alive', (t) => {
  const creator = parseCreator(currentCreator());
  t.is(creator?.host, hostname());
  t.is(creator?.pid, process.pid);
  t.is(creator?.startMs, processStartMs(process.pid));
  t.is(creatorLiveness(currentCreator()), 'alive');
});

test('a creator whose pid is gone, or reused by a younger process, is gone; another host is unknown', (t) => {
  t.is(creatorLiveness(`${hostname()}:${2 ** 22 + 7}:1000`), 'gone');
  const self = parseCreator(currentCreator());
  if (self === undefined) return t.fail('no creator');
  t.false(processIsAlive({...self, startMs: self.startMs - 60_000}), 'same pid, another start time');
  t.is(creatorLiveness(`some-other-host:${process.pid}:${self.startMs}`), 'unknown');
  t.is(creatorLiveness('garbage'), 'unknown');
});

test('the node IP: eth1, else eth0, else the first private IPv4', (t) => {
  const v4 = (address: string, internal = false) => ({
    address,
    netmask: '255.255.255.0',
    family: 'IPv4' as const,
    mac: '00:00:00:00:00:00',
    internal,
    cidr: `${address}/24`,
  });
  t.is(pickNodeIp({eth0: [v4('10.0.0.2')], eth1: [v4('10.0.1.2')]}), '10.0.1.2');
  t.is(pickNodeIp({eth0: [v4('10.0.0.2')]}), '10.0.0.2');
  t.is(
    pickNodeIp({lo: [v4('127.0.0.1', true)], ens3: [v4('8.8.8.8')], ens4: [v4('192.168.1.5')]}),
    '192.168.1.5',
  );
  t.is(pickNodeIp({lo: [v4('127.0.0.1', true)]}), '');
});
