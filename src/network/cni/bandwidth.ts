/** The seed's egress limit (Mbps) as the `bandwidth` capability's runtimeConfig. */
import type {CniBandwidth} from './types.js';

/**
The smallest burst handed to tbf, in bits (64 KiB). A bucket smaller than one GSO/GRO aggregate makes tbf
segment or drop those packets and the real rate falls well under the limit.
*/
export const MIN_EGRESS_BURST_BITS = 64 * 1024 * 8;

/** The plugin refuses a burst of 4 GiB or more (`burst/8 >= MaxUint32`); only rates past 340 Gbps get near it. */
export const MAX_EGRESS_BURST_BITS = (2 ** 32 - 2) * 8;

/**
How much traffic may go at line speed before the limit bites: 100 ms worth at the limited rate. It keeps
short exchanges fast without letting a long transfer escape the limit (dockershim's burst of 2^31 bits let
the first 256 MiB through unshaped).
*/
export const EGRESS_BURST_SECONDS = 0.1;

/**
The bandwidth plugin's runtimeConfig for an egress limit of `mbps` megabits per second (SI, as tc's `mbit`).
The plugin wants rates in bits per second and bursts in bits (its README says "Kb", its code and tc use
bits), and applies a limit only when both rate and burst are positive. Egress here is traffic leaving the
pod: the plugin redirects the host veth's ingress to an ifb device and puts the tbf there. Returns
undefined when there is no limit.
*/
export function egressBandwidth(mbps: number | undefined): CniBandwidth | undefined {
  if (mbps === undefined || !Number.isFinite(mbps) || mbps <= 0) return undefined;
  const egressRate = Math.max(1, Math.round(mbps * 1_000_000));
  const wanted = Math.max(MIN_EGRESS_BURST_BITS, Math.round(egressRate * EGRESS_BURST_SECONDS));
  const egressBurst = Math.min(MAX_EGRESS_BURST_BITS, wanted);
  return {egressRate, egressBurst};
}
