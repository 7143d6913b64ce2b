/** Finding a CNI plugin binary by its `type` in a list of plugin dirs, as libcni's FindInPath does. */
import {constants} from 'node:fs';
import {access, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {EngineError} from '../../errors.js';
import {DEFAULT_CNI_PLUGIN_DIRS} from './defaults.js';

// The type comes from a config file and becomes a path: refuse anything that could leave the plugin dirs.
const PLUGIN_TYPE = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
Returns the path of the plugin binary `type`, from the first dir that has an executable file of that name.
A missing plugin is NOT_FOUND naming the dirs searched; an unsafe type is VALIDATION.
*/
export async function findCniPlugin(
  type: string,
  pluginDirs: readonly string[] = DEFAULT_CNI_PLUGIN_DIRS,
): Promise<string> {
  if (!PLUGIN_TYPE.test(type)) {
    throw new EngineError(
      'VALIDATION',
      `invalid CNI plugin type ${JSON.stringify(type)}: must be a bare file name`,
      {
        details: {resource: 'cni-plugin', name: type},
      },
    );
  }
  for (const dir of pluginDirs) {
    const candidate = join(dir, type);
    if (await isExecutableFile(candidate)) return candidate;
  }
  const searched = pluginDirs.length > 0 ? pluginDirs.join(', ') : '(no plugin dirs configured)';
  throw new EngineError(
    'NOT_FOUND',
    `CNI plugin ${JSON.stringify(type)} not found in ${searched}; install containernetworking-plugins or set the plugin dirs`,
    {details: {resource: 'cni-plugin', name: type, searched: [...pluginDirs]}},
  );
}
