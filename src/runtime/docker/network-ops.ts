import type {CallOptions, ChangeResult, NetworkCreateSpec, NetworkDetails} from '../port.js';
import {compact, str} from './json.js';
import {seg, type DockerContext} from './docker-context.js';
import {fromNetwork} from './from-network.js';
import {isNotFoundStatus} from './map-error.js';

const network = (ref: string) => ({resource: 'network' as const, ref});

/** Maps a NetworkCreateSpec to `POST /networks/create`; a taken name is ALREADY_EXISTS (CheckDuplicate). */
export function toNetworkCreateBody(spec: NetworkCreateSpec): Readonly<Record<string, unknown>> {
  const ipam =
    spec.subnet === undefined && spec.gateway === undefined
      ? undefined
      : {Driver: 'default', Config: [compact({Subnet: spec.subnet, Gateway: spec.gateway})]};
  return compact({
    Name: spec.name,
    CheckDuplicate: true,
    Driver: spec.driver,
    Internal: spec.internal,
    Labels: spec.labels === undefined ? undefined : {...spec.labels},
    IPAM: ipam,
  });
}

export function createNetwork(
  ctx: DockerContext,
  spec: NetworkCreateSpec,
  options: CallOptions = {},
): Promise<{readonly id: string}> {
  return ctx.call({...network(spec.name), create: true}, options.signal, async (api) => {
    const json = await api.json({
      method: 'POST',
      path: '/networks/create',
      body: toNetworkCreateBody(spec),
      signal: options.signal,
    });
    return {id: str(json, 'Id')};
  });
}

export function inspectNetwork(
  ctx: DockerContext,
  idOrName: string,
  options: CallOptions = {},
): Promise<NetworkDetails> {
  return ctx.call(network(idOrName), options.signal, async (api) =>
    fromNetwork(await api.json({method: 'GET', path: `/networks/${seg(idOrName)}`, signal: options.signal})),
  );
}

export function listNetworks(
  ctx: DockerContext,
  options: CallOptions & {readonly labels?: readonly string[]} = {},
): Promise<readonly NetworkDetails[]> {
  const filters =
    options.labels !== undefined && options.labels.length > 0 ? {label: [...options.labels]} : undefined;
  return ctx.call(network(''), options.signal, async (api) => {
    const json = await api.json({method: 'GET', path: '/networks', query: {filters}, signal: options.signal});
    return (Array.isArray(json) ? (json as unknown[]) : []).map(fromNetwork);
  });
}

/** A network already gone is `{changed: false}`. */
export function removeNetwork(
  ctx: DockerContext,
  idOrName: string,
  options: CallOptions = {},
): Promise<ChangeResult> {
  return ctx.call(network(idOrName), options.signal, async (api) => {
    try {
      await api.json({method: 'DELETE', path: `/networks/${seg(idOrName)}`, signal: options.signal});
      return {changed: true};
    } catch (error) {
      if (isNotFoundStatus(error)) return {changed: false};
      throw error;
    }
  });
}
