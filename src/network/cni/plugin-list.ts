/**
Running a network configuration list per the CNI spec 1.0 ("Execution of network configurations"): ADD runs
the plugins in order, each one's result becoming the next one's `prevResult`; DEL runs them in reverse.
*/
import {EngineError, toEngineError} from '../../errors.js';
import {DEFAULT_CNI_PLUGIN_DIRS} from './defaults.js';
import {execCniPlugin, type CniCommand} from './exec-plugin.js';
import type {CniArg} from './net-args.js';
import {findCniPlugin} from './plugin-path.js';
import {CNI_ERROR_UNKNOWN_CONTAINER} from './result.js';
import type {CniNetworkList, CniPluginConf, CniRuntimeConfig} from './types.js';

/** The attachment: what every plugin of the list is run against. */
export interface CniAttachment {
  readonly containerId: string;
  readonly netnsPath: string;
  readonly ifName: string;
  readonly args: readonly CniArg[];
  /** Offered values by capability name; a plugin gets only those it declares in `capabilities`. */
  readonly runtimeConfig?: CniRuntimeConfig;
  readonly pluginDirs?: readonly string[];
  /** Deadline for each plugin run. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Capability names a plugin declares as true (`"capabilities": {"bandwidth": true}`). */
export function declaredCapabilities(plugin: CniPluginConf): string[] {
  const capabilities = plugin.capabilities;
  if (!isRecord(capabilities)) return [];
  return Object.keys(capabilities).filter((name) => capabilities[name] === true);
}

/**
The execution config of one plugin (spec 1.0, "Deriving execution configuration"): the plugin conf with the
list's `name` and `cniVersion`, a `runtimeConfig` holding only the offered values the plugin declares a
capability for, `prevResult` when there is one, and `capabilities` removed.
*/
export function pluginExecConfig(
  list: CniNetworkList,
  plugin: CniPluginConf,
  runtimeConfig: CniRuntimeConfig | undefined,
  prevResult: unknown,
): Record<string, unknown> {
  const {capabilities: _capabilities, ...rest} = plugin;
  const config: Record<string, unknown> = {...rest, name: list.name, cniVersion: list.cniVersion};
  if (runtimeConfig !== undefined) {
    const offered: Record<string, unknown> = {};
    for (const name of declaredCapabilities(plugin)) {
      if (runtimeConfig[name] !== undefined) offered[name] = runtimeConfig[name];
    }
    if (Object.keys(offered).length > 0) config.runtimeConfig = offered;
  }
  if (prevResult !== undefined) config.prevResult = prevResult;
  return config;
}

async function runPlugin(
  command: CniCommand,
  list: CniNetworkList,
  plugin: CniPluginConf,
  attachment: CniAttachment,
  prevResult: unknown,
): Promise<unknown> {
  const pluginDirs = attachment.pluginDirs ?? DEFAULT_CNI_PLUGIN_DIRS;
  const pluginPath = await findCniPlugin(plugin.type, pluginDirs);
  return execCniPlugin({
    pluginPath,
    command,
    containerId: attachment.containerId,
    netnsPath: attachment.netnsPath,
    ifName: attachment.ifName,
    args: attachment.args,
    cniPath: pluginDirs,
    config: pluginExecConfig(list, plugin, attachment.runtimeConfig, prevResult),
    ...(attachment.timeoutMs === undefined ? {} : {timeoutMs: attachment.timeoutMs}),
    ...(attachment.signal === undefined ? {} : {signal: attachment.signal}),
  });
}

/**
ADD: runs the plugins in order, chaining results, and returns the last plugin's result (raw JSON). Stops at
the first failure and throws it; cleaning up with DEL is the caller's job (cniAdd does it).
*/
export async function addNetworkList(list: CniNetworkList, attachment: CniAttachment): Promise<unknown> {
  let prevResult: unknown;
  for (const plugin of list.plugins) {
    const result = await runPlugin('ADD', list, plugin, attachment, prevResult);
    if (result === undefined) {
      throw new EngineError('ENGINE_ERROR', `CNI plugin ${plugin.type} ADD printed no result`, {
        details: {resource: 'cni-plugin', plugin: plugin.type, command: 'ADD', network: list.name},
      });
    }
    prevResult = result;
  }
  return prevResult;
}

/**
Whether a DEL failure means "already gone": the spec's code 3 (container unknown), or a plugin that says
so in words, as several do with code 999 ("Link not found"). Plugin output is the only signal there is.
*/
export function isAlreadyGone(error: EngineError): boolean {
  if (error.details.cniCode === CNI_ERROR_UNKNOWN_CONTAINER) return true;
  const said = error.details.cniMsg;
  return typeof said === 'string' && /not found|no such|does not exist|doesn't exist/i.test(said);
}

/**
DEL: runs the plugins in reverse order, each with `prevResult` (the ADD result when the caller kept it).
Plugins that report the attachment already gone count as done. Unlike libcni, DEL goes on past a failing
plugin, so one broken plugin does not leak the IP lease or veth the others would release; afterwards the
single failure is thrown as it was, several as PARTIAL_FAILURE listing each.
*/
export async function delNetworkList(
  list: CniNetworkList,
  attachment: CniAttachment,
  prevResult?: unknown,
): Promise<void> {
  const failures: EngineError[] = [];
  for (const plugin of [...list.plugins].reverse()) {
    try {
      await runPlugin('DEL', list, plugin, attachment, prevResult);
    } catch (error) {
      const engineError = toEngineError(error);
      // The caller asked to stop: going on with the next plugin would ignore that.
      if (engineError.code === 'CANCELLED') throw engineError;
      if (!isAlreadyGone(engineError)) failures.push(engineError);
    }
  }
  const [first] = failures;
  if (first === undefined) return;
  if (failures.length === 1) throw first;
  throw new EngineError(
    'PARTIAL_FAILURE',
    `CNI DEL of network ${list.name}: ${failures.length} plugins failed\n${failures.map((f) => `  ${f.message}`).join('\n')}`,
    {details: {resource: 'cni-network', name: list.name, failures: failures.map((f) => f.toJSON())}},
  );
}
