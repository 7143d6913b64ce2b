import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import {parseIpAddrJson} from '../../src/network/cni/describe-netns.js';
import {addressOf, parseCniPluginError, summarizeCniResult} from '../../src/network/cni/result.js';

test('a 1.0.0 result gives its ips and interfaces', (t) => {
  const summary = summarizeCniResult({
    cniVersion: '1.0.0',
    interfaces: [
      {name: 'cni0', mac: '0a:00:00:00:00:01'},
      {name: 'eth1', mac: '', sandbox: '/var/run/netns/x'},
      {},
    ],
    ips: [
      {address: '10.231.3.4/24', gateway: '10.231.3.1', interface: 1},
      {address: 'fd00::4/64'},
      {gateway: 'x'},
    ],
  });
  t.deepEqual(summary, {
    ips: [{address: '10.231.3.4/24', gateway: '10.231.3.1', interface: 1}, {address: 'fd00::4/64'}],
    interfaces: [
      {name: 'cni0', mac: '0a:00:00:00:00:01'},
      {name: 'eth1', sandbox: '/var/run/netns/x'},
    ],
  });
});

test('a 0.2.0 result (ip4/ip6) gives the same shape', (t) => {
  t.deepEqual(
    summarizeCniResult({
      cniVersion: '0.2.0',
      ip4: {ip: '10.231.3.9/24', gateway: '10.231.3.1'},
      ip6: {ip: 'fd00::9/64'},
    }),
    {ips: [{address: '10.231.3.9/24', gateway: '10.231.3.1'}, {address: 'fd00::9/64'}], interfaces: []},
  );
  t.is(summarizeCniResult('nope'), undefined);
  t.deepEqual(summarizeCniResult({}), {ips: [], interfaces: []});
});

test('a CNI error object is read from stdout; anything else is not one', (t) => {
  t.deepEqual(
    parseCniPluginError('{"cniVersion":"1.0.0","code":3,"msg":"no such container","details":"id x"}'),
    {
      code: 3,
      msg: 'no such container',
      details: 'id x',
    },
  );
  t.deepEqual(parseCniPluginError('{"code":999,"msg":"boom"}'), {code: 999, msg: 'boom'});
  t.is(parseCniPluginError('panic'), undefined);
  t.is(parseCniPluginError('{"msg":"no code"}'), undefined);
  t.is(parseCniPluginError(''), undefined);
});

test('addressOf drops the prefix length', (t) => {
  t.is(addressOf('10.231.3.4/24'), '10.231.3.4');
  t.is(addressOf('fd00::4/64'), 'fd00::4');
  t.is(addressOf('10.231.3.4'), '10.231.3.4');
});

test('ip -j addr output becomes interfaces with their global addresses', (t) => {
  const output = JSON.stringify([
    {
      ifindex: 1,
      ifname: 'lo',
      address: '00:00:00:00:00:00',
      addr_info: [{family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host'}],
    },
    {
      ifindex: 2,
      ifname: 'eth1',
      link_index: 9,
      address: '02:84:6c:4f:6a:e3',
      addr_info: [
        {family: 'inet', local: '10.231.77.9', prefixlen: 24, scope: 'global'},
        {family: 'inet6', local: 'fe80::84:6cff:fe4f:6ae3', prefixlen: 64, scope: 'link'},
      ],
    },
    {ifindex: 3, ifname: 'dummy0', address: '0a:0b:0c:0d:0e:0f', addr_info: []},
    {ifindex: 4, ifname: 'tun0'},
  ]);
  t.deepEqual(parseIpAddrJson(output), [
    {ifName: 'lo', mac: '00:00:00:00:00:00', addresses: ['127.0.0.1/8']},
    {ifName: 'eth1', mac: '02:84:6c:4f:6a:e3', addresses: ['10.231.77.9/24']},
    {ifName: 'dummy0', mac: '0a:0b:0c:0d:0e:0f', addresses: []},
    {ifName: 'tun0', mac: '', addresses: []},
  ]);
  const error = t.throws(() => parseIpAddrJson('Object "addr" is unknown'));
  t.true(isEngineError(error));
});
