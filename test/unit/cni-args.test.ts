import test from 'ava';
import fc from 'fast-check';
import {isEngineError} from '../../src/errors.js';
import {
  egressBandwidth,
  MAX_EGRESS_BURST_BITS,
  MIN_EGRESS_BURST_BITS,
} from '../../src/network/cni/bandwidth.js';
import {formatCniArgs, netArgs} from '../../src/network/cni/net-args.js';

test('seed case 55: 10 Mbps egress gives CTNR_NET_EGRESS_RATE=10240 and IgnoreUnknown is always sent', (t) => {
  t.deepEqual(netArgs({egressMbps: 10}), [
    ['CTNR_NET_EGRESS_RATE', '10240'],
    ['IgnoreUnknown', '1'],
  ]);
  t.deepEqual(netArgs(), [['IgnoreUnknown', '1']]);
  t.deepEqual(netArgs({egressMbps: 0}), [['IgnoreUnknown', '1']]);
  t.deepEqual(netArgs({egressMbps: -3}), [['IgnoreUnknown', '1']]);
});

test('seed case 54: an injected IP is sent as IP=<ip>', (t) => {
  t.is(
    formatCniArgs(netArgs({ip: '10.231.5.20', egressMbps: 2})),
    'CTNR_NET_EGRESS_RATE=2048;IgnoreUnknown=1;IP=10.231.5.20',
  );
  t.is(formatCniArgs(netArgs({ip: ''})), 'IgnoreUnknown=1');
});

test('CNI_ARGS that cannot be encoded are refused', (t) => {
  t.is(formatCniArgs([]), '');
  for (const bad of [[['K;X', 'v']], [['K=X', 'v']], [['', 'v']], [['K', 'a;b']]] as const) {
    const error = t.throws(() => formatCniArgs(bad));
    t.is(isEngineError(error) ? error.code : undefined, 'VALIDATION');
  }
  // `=` in a value is fine: the spec splits each pair at its first `=`.
  t.is(formatCniArgs([['K8S_POD_NAME', 'a=b']]), 'K8S_POD_NAME=a=b');
});

test('egress Mbps becomes bits per second, with 100 ms of burst and a 64 KiB floor', (t) => {
  t.deepEqual(egressBandwidth(10), {egressRate: 10_000_000, egressBurst: 1_000_000});
  t.deepEqual(egressBandwidth(1), {egressRate: 1_000_000, egressBurst: MIN_EGRESS_BURST_BITS});
  t.is(MIN_EGRESS_BURST_BITS, 524_288);
  t.deepEqual(egressBandwidth(0.5), {egressRate: 500_000, egressBurst: MIN_EGRESS_BURST_BITS});
  t.is(egressBandwidth(0), undefined);
  t.is(egressBandwidth(undefined), undefined);
  t.is(egressBandwidth(Number.NaN), undefined);
  // Past ~343 Gbps, 100 ms of traffic would exceed the plugin's 4 GiB burst limit.
  t.is(egressBandwidth(1_000_000)?.egressBurst, MAX_EGRESS_BURST_BITS);
});

test('any positive limit gives integer rate and burst the bandwidth plugin accepts', (t) => {
  fc.assert(
    fc.property(fc.double({min: 0.001, max: 10_000_000, noNaN: true}), (mbps) => {
      const bandwidth = egressBandwidth(mbps);
      if (bandwidth?.egressRate === undefined || bandwidth.egressBurst === undefined) return false;
      const {egressRate, egressBurst} = bandwidth;
      return (
        Number.isInteger(egressRate) &&
        Number.isInteger(egressBurst) &&
        egressRate > 0 &&
        egressBurst >= MIN_EGRESS_BURST_BITS &&
        egressBurst >= Math.min(MAX_EGRESS_BURST_BITS, Math.floor(egressRate / 10)) &&
        // The plugin refuses bursts of 4 GiB and more.
        egressBurst / 8 < 2 ** 32
      );
    }),
  );
  t.pass();
});
