/** Where CNI network configurations live unless the caller says otherwise (the CNI convention). */
export const DEFAULT_CNI_CONF_DIR = '/etc/cni/net.d';

/**
Where plugin binaries are searched, in order: Debian's containernetworking-plugins installs into /usr/lib/cni,
upstream release tarballs into /opt/cni/bin.
*/
export const DEFAULT_CNI_PLUGIN_DIRS: readonly string[] = ['/usr/lib/cni', '/opt/cni/bin'];

/** The interface name inside the pod (the seed's IfName, also its BCS_ETH_NAME). */
export const DEFAULT_CNI_IFNAME = 'eth1';

/**
Deadline for one plugin run. ADD of bridge + host-local takes milliseconds; the margin is for loaded hosts
and IPAM plugins that talk to a daemon, while still bounding a hung plugin.
*/
export const DEFAULT_CNI_PLUGIN_TIMEOUT_MS = 30_000;
