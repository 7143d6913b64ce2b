/**
Where the binary's engine looks for CNI configuration and plugins: `--cni-conf-dir DIR` and `--cni-plugin-dir
DIR` (repeatable), else the environment (`BCS_CNI_CONF_DIR`, and CNI's own `CNI_PATH`, colon-separated), else
the usual places: confs in /etc/cni/net.d, plugins in /usr/lib/cni (Debian's containernetworking-plugins) and
/opt/cni/bin (upstream's tarball).
*/
import {DEFAULT_CNI_CONF_DIR, DEFAULT_CNI_PLUGIN_DIRS, type PodCniOptions} from '../src/index.js';
import type {ParsedArgs} from './argv.js';

export const CNI_CONF_DIR_FLAG = 'cni-conf-dir';
export const CNI_PLUGIN_DIR_FLAG = 'cni-plugin-dir';
export const CNI_FLAGS: readonly string[] = [CNI_CONF_DIR_FLAG, CNI_PLUGIN_DIR_FLAG];

/** The CNI options from the flags, then the environment, then the defaults. */
export function cniOptionsFrom(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): PodCniOptions {
  const confFlag = args.flags.get(CNI_CONF_DIR_FLAG);
  const confDir =
    typeof confFlag === 'string' && confFlag !== ''
      ? confFlag
      : env['BCS_CNI_CONF_DIR'] !== undefined && env['BCS_CNI_CONF_DIR'] !== ''
        ? env['BCS_CNI_CONF_DIR']
        : DEFAULT_CNI_CONF_DIR;
  const flagged = (args.repeated.get(CNI_PLUGIN_DIR_FLAG) ?? []).filter((dir) => dir !== '');
  const fromEnv = (env['CNI_PATH'] ?? '').split(':').filter((dir) => dir !== '');
  const pluginDirs = flagged.length > 0 ? flagged : fromEnv.length > 0 ? fromEnv : DEFAULT_CNI_PLUGIN_DIRS;
  return {confDir, pluginDirs: [...pluginDirs]};
}
