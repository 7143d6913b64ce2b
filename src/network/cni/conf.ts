/**
Loading CNI network configurations from a conf dir, as libcni does: `*.conf` and `*.json` hold one plugin
conf (wrapped into a list of one), `*.conflist` holds a list; files are read in lexical order and the first
network with a given name wins.
*/
import {readdir, readFile, stat} from 'node:fs/promises';
import {extname, join} from 'node:path';
import {EngineError, toEngineError, type ValidationIssue} from '../../errors.js';
import {DEFAULT_CNI_CONF_DIR} from './defaults.js';
import type {CniNetworkList, CniPluginConf} from './types.js';

const SINGLE_CONF_EXTENSIONS = new Set(['.conf', '.json']);
const LIST_EXTENSION = '.conflist';

/** A file of the conf dir that could not be used, with the reason. */
export interface CniConfProblem {
  readonly file: string;
  readonly code: string;
  readonly message: string;
}

/** Everything a conf dir holds: the usable networks in file order, and the files that could not be used. */
export interface CniConfDirContents {
  readonly confDir: string;
  readonly networks: readonly CniNetworkList[];
  readonly problems: readonly CniConfProblem[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkString(
  issues: ValidationIssue[],
  record: Record<string, unknown>,
  key: string,
  path: string,
): void {
  const value = record[key];
  if (typeof value !== 'string' || value.trim() === '') {
    issues.push({path, message: value === undefined ? 'is required' : 'must be a non-empty string'});
  }
}

function checkPlugin(issues: ValidationIssue[], plugin: unknown, path: string): void {
  if (!isRecord(plugin)) {
    issues.push({path: path || '(root)', message: 'must be a JSON object'});
    return;
  }
  checkString(issues, plugin, 'type', path ? `${path}.type` : 'type');
}

function invalidConf(file: string, issues: readonly ValidationIssue[]): EngineError {
  const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`);
  const noun = issues.length === 1 ? 'problem' : 'problems';
  return new EngineError(
    'VALIDATION',
    `invalid CNI config ${file}: ${issues.length} ${noun}\n${lines.join('\n')}`,
    {
      details: {resource: 'cni-config', file, issues: issues.map((issue) => ({...issue}))},
    },
  );
}

/**
Parses the text of one conf file. `kind` says what the file holds (by its extension): one plugin conf, or a
list. Throws VALIDATION naming the file and listing every problem.
*/
export function parseCniConf(text: string, file: string, kind: 'conf' | 'conflist'): CniNetworkList {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidConf(file, [{path: '(root)', message: `not valid JSON: ${reason}`}]);
  }
  if (!isRecord(parsed)) throw invalidConf(file, [{path: '(root)', message: 'must be a JSON object'}]);

  const issues: ValidationIssue[] = [];
  checkString(issues, parsed, 'name', 'name');
  checkString(issues, parsed, 'cniVersion', 'cniVersion');
  if (kind === 'conflist') {
    const plugins = parsed.plugins;
    if (!Array.isArray(plugins) || plugins.length === 0) {
      issues.push({path: 'plugins', message: 'must be a non-empty array of plugin configs'});
    } else {
      plugins.forEach((plugin: unknown, index) => checkPlugin(issues, plugin, `plugins[${index}]`));
    }
  } else if (Array.isArray(parsed.plugins) && parsed.type === undefined) {
    // A list saved under a single-conf extension: say what to do rather than only "type is required".
    issues.push({
      path: 'plugins',
      message: 'a plugin list belongs in a .conflist file',
      allowed: 'rename to .conflist',
    });
  } else {
    checkPlugin(issues, parsed, '');
  }
  if (issues.length > 0) throw invalidConf(file, issues);

  const record = parsed as Record<string, unknown> & {name: string; cniVersion: string};
  const plugins =
    kind === 'conflist'
      ? (record.plugins as CniPluginConf[])
      : [record as Record<string, unknown> as CniPluginConf];
  return {name: record.name, cniVersion: record.cniVersion, plugins, file};
}

function confKind(file: string): 'conf' | 'conflist' | undefined {
  const extension = extname(file);
  if (extension === LIST_EXTENSION) return 'conflist';
  return SINGLE_CONF_EXTENSIONS.has(extension) ? 'conf' : undefined;
}

/** Reads and parses one conf file; its kind comes from its extension. Errors name the file. */
export async function loadCniConfFile(file: string): Promise<CniNetworkList> {
  const kind = confKind(file);
  if (kind === undefined) {
    throw new EngineError('VALIDATION', `not a CNI config file (want .conf, .json or .conflist): ${file}`, {
      details: {resource: 'cni-config', file},
    });
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EngineError('ENGINE_ERROR', `cannot read CNI config ${file}: ${reason}`, {
      details: {resource: 'cni-config', file},
      cause: error,
    });
  }
  return parseCniConf(text, file, kind);
}

async function listConfFiles(confDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(confDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new EngineError('NOT_FOUND', `CNI conf dir not found: ${confDir}`, {
        details: {resource: 'cni-conf-dir', name: confDir},
        cause: error,
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new EngineError('ENGINE_ERROR', `cannot read CNI conf dir ${confDir}: ${reason}`, {
      details: {resource: 'cni-conf-dir', name: confDir},
      cause: error,
    });
  }
  const files: string[] = [];
  for (const name of names.sort()) {
    if (confKind(name) === undefined) continue;
    const file = join(confDir, name);
    // A directory named x.conf is not a config; anything we cannot stat is reported when read.
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || info.isFile()) files.push(file);
  }
  return files;
}

/**
Loads every conf file of a dir. A missing dir is NOT_FOUND; a file that cannot be read or parsed does not
stop the others (it lands in `problems`), since one broken file must not take every network down.
*/
export async function loadCniConfDir(confDir: string = DEFAULT_CNI_CONF_DIR): Promise<CniConfDirContents> {
  const networks: CniNetworkList[] = [];
  const problems: CniConfProblem[] = [];
  for (const file of await listConfFiles(confDir)) {
    try {
      networks.push(await loadCniConfFile(file));
    } catch (error) {
      const engineError = toEngineError(error);
      problems.push({file, code: engineError.code, message: engineError.message});
    }
  }
  return {confDir, networks, problems};
}

/**
Finds the network named `name` in a conf dir (the first in file order). NOT_FOUND lists the networks that
exist and names any file that could not be read, since the wanted network may be in it.
*/
export async function findCniNetwork(
  name: string,
  confDir: string = DEFAULT_CNI_CONF_DIR,
): Promise<CniNetworkList> {
  const contents = await loadCniConfDir(confDir);
  const found = contents.networks.find((network) => network.name === name);
  if (found !== undefined) return found;

  const available = [...new Set(contents.networks.map((network) => network.name))];
  let message = `no CNI network named ${JSON.stringify(name)} in ${confDir}`;
  message += available.length > 0 ? ` (available: ${available.join(', ')})` : ' (no usable config files)';
  for (const problem of contents.problems) message += `\nskipped ${problem.file}: ${problem.message}`;
  throw new EngineError('NOT_FOUND', message, {
    details: {
      resource: 'cni-network',
      name,
      confDir,
      available,
      invalidFiles: contents.problems.map((problem) => ({...problem})),
    },
  });
}
