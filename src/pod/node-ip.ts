/**
The node's IP as the seed's `util.GetIPAddress()` computed it (seed-spec §1.8): eth1's IPv4, else eth0's, else
the first private IPv4 of any interface. It becomes BCS_NODE_IP, and BCS_CONTAINER_IP on the host network.
*/
import {networkInterfaces, type NetworkInterfaceInfo} from 'node:os';

function ipv4Of(infos: readonly NetworkInterfaceInfo[] | undefined): string | undefined {
  return infos?.find((info) => info.family === 'IPv4' && !info.internal)?.address;
}

/** RFC 1918 ranges. */
export function isPrivateIpv4(address: string): boolean {
  const [a = -1, b = -1] = address.split('.').map(Number);
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** The seed's rule over a set of interfaces (injectable for tests); '' when nothing matches. */
export function pickNodeIp(
  interfaces: Readonly<Record<string, readonly NetworkInterfaceInfo[] | undefined>>,
): string {
  const preferred = ipv4Of(interfaces.eth1) ?? ipv4Of(interfaces.eth0);
  if (preferred !== undefined) return preferred;
  for (const infos of Object.values(interfaces)) {
    const found = infos?.find(
      (info) => info.family === 'IPv4' && !info.internal && isPrivateIpv4(info.address),
    );
    if (found !== undefined) return found.address;
  }
  return '';
}

/** This host's node IP. */
export function detectNodeIp(): string {
  return pickNodeIp(networkInterfaces());
}
