/**
The CNI flags as main reads them, before any engine code is loaded (`--version` must stay cheap: this module
imports nothing of src/). cni-options.ts turns them into the engine's options.
*/
import type {ParsedArgs} from './argv.js';

export const CNI_CONF_DIR_FLAG = 'cni-conf-dir';
export const CNI_PLUGIN_DIR_FLAG = 'cni-plugin-dir';
export const CNI_FLAGS: readonly string[] = [CNI_CONF_DIR_FLAG, CNI_PLUGIN_DIR_FLAG];

/** What the command line said about CNI. */
export interface CniFlags {
  readonly confDir?: string;
  readonly pluginDirs: readonly string[];
}

/** The CNI flags of `args` (main strips them before the command checks its own flags). */
export function readCniFlags(args: ParsedArgs): CniFlags {
  const confFlag = args.flags.get(CNI_CONF_DIR_FLAG);
  const pluginDirs = (args.repeated.get(CNI_PLUGIN_DIR_FLAG) ?? []).filter((dir) => dir !== '');
  return typeof confFlag === 'string' && confFlag !== '' ? {confDir: confFlag, pluginDirs} : {pluginDirs};
}
