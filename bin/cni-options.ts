/**
Where the binary's engine looks for CNI configuration and plugins: `--cni-conf-dir DIR` and `--cni-plugin-dir
DIR` (repeatable), else the environment (`BCS_CNI_CONF_DIR`, and CNI's own `CNI_PATH`, colon-separated), else
the usual places: confs in /etc/cni/net.d, plugins in /usr/lib/cni (Debian's containernetworking-plugins) and
/opt/cni/bin (upstream's tarball).
*/
import {DEFAULT_CNI_CONF_DIR, DEFAULT_CNI_PLUGIN_DIRS, type PodCniOptions} from '../src/index.js';
import type {CniFlags} from './cni-flags.js';

/** The CNI options from the flags, then the environment, then the defaults. */
export function cniOptionsFrom(flags: CniFlags, env: NodeJS.ProcessEnv = process.env): PodCniOptions {
  const envConf = env['BCS_CNI_CONF_DIR'];
  const confDir = flags.confDir ?? (envConf !== undefined && envConf !== '' ? envConf : DEFAULT_CNI_CONF_DIR);
  const fromEnv = (env['CNI_PATH'] ?? '').split(':').filter((dir) => dir !== '');
  const pluginDirs =
    flags.pluginDirs.length > 0 ? flags.pluginDirs : fromEnv.length > 0 ? fromEnv : DEFAULT_CNI_PLUGIN_DIRS;
  return {confDir, pluginDirs: [...pluginDirs]};
}
