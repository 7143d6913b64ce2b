import type {
  CallOptions,
  ChangeResult,
  CommitOptions,
  ContainerCreateSpec,
  ContainerDetails,
  ContainerSummary,
  ListContainersOptions,
  RemoveOptions,
  ResourceUpdate,
  StopOptions,
  TopResult,
  WaitResult,
} from '../port.js';
import {arr, compact, num, obj, optStr, str, strList} from './json.js';
import {seg, type DockerContext} from './docker-context.js';
import {fromContainerInspect} from './from-inspect.js';
import {fromContainerSummary} from './from-list.js';
import {isNotFoundStatus, isNotModified} from './map-error.js';
import {dockerImageId, fromPodmanDetails, fromPodmanSummary} from './podman-compat.js';
import {checkJoinedRunning, isNeverStarted, podmanTop, podmanUpdate} from './podman-ops.js';
import {toCreateRequest} from './to-create-options.js';
import {toUpdateBody} from './to-update-body.js';

const container = (ref: string) => ({resource: 'container' as const, ref});

export async function createContainer(
  ctx: DockerContext,
  spec: ContainerCreateSpec,
  options: CallOptions = {},
): Promise<{readonly id: string; readonly warnings: readonly string[]}> {
  const request = toCreateRequest(spec);
  const subject = {
    resource: 'container' as const,
    ref: spec.name ?? spec.image,
    create: true,
    image: spec.image,
  };
  return ctx.call(subject, options.signal, async (api) => {
    const json = await api.json({
      method: 'POST',
      path: '/containers/create',
      query: {name: request.name},
      body: request.body,
      signal: options.signal,
    });
    return {id: str(json, 'Id'), warnings: strList(json, 'Warnings')};
  });
}

/** 304 (already running) is `{changed: false}`. */
export function startContainer(
  ctx: DockerContext,
  id: string,
  options: CallOptions = {},
): Promise<ChangeResult> {
  return ctx.call(container(id), options.signal, async (api, client) => {
    if (client.flavor === 'podman') await checkJoinedRunning(api, id, options.signal);
    try {
      await api.json({method: 'POST', path: `/containers/${seg(id)}/start`, signal: options.signal});
      return {changed: true};
    } catch (error) {
      if (isNotModified(error)) return {changed: false};
      throw error;
    }
  });
}

/** 304 (not running) is `{changed: false}`. */
export function stopContainer(
  ctx: DockerContext,
  id: string,
  options: StopOptions = {},
): Promise<ChangeResult> {
  return ctx.call(container(id), options.signal, async (api, client) => {
    if (client.flavor === 'podman' && (await isNeverStarted(api, id, options.signal)))
      return {changed: false};
    try {
      await api.json({
        method: 'POST',
        path: `/containers/${seg(id)}/stop`,
        query: {t: options.timeoutSeconds},
        signal: options.signal,
      });
      return {changed: true};
    } catch (error) {
      if (isNotModified(error)) return {changed: false};
      throw error;
    }
  });
}

export function restartContainer(ctx: DockerContext, id: string, options: StopOptions = {}): Promise<void> {
  return ctx.call(container(id), options.signal, async (api) => {
    await api.json({
      method: 'POST',
      path: `/containers/${seg(id)}/restart`,
      query: {t: options.timeoutSeconds},
      signal: options.signal,
    });
  });
}

/** The signal goes out as given (the seed always sent 9); a stopped container answers 409 → INVALID_STATE. */
export function killContainer(
  ctx: DockerContext,
  id: string,
  signal: string | number = 'SIGKILL',
  options: CallOptions = {},
): Promise<void> {
  return ctx.call(container(id), options.signal, async (api) => {
    await api.json({
      method: 'POST',
      path: `/containers/${seg(id)}/kill`,
      query: {signal: String(signal)},
      signal: options.signal,
    });
  });
}

/** A container already gone is `{changed: false}`. */
export function removeContainer(
  ctx: DockerContext,
  id: string,
  options: RemoveOptions = {},
): Promise<ChangeResult> {
  return ctx.call(container(id), options.signal, async (api) => {
    try {
      await api.json({
        method: 'DELETE',
        path: `/containers/${seg(id)}`,
        query: {force: options.force, v: options.volumes},
        signal: options.signal,
      });
      return {changed: true};
    } catch (error) {
      if (isNotFoundStatus(error)) return {changed: false};
      throw error;
    }
  });
}

export function pauseContainer(ctx: DockerContext, id: string, options: CallOptions = {}): Promise<void> {
  return ctx.call(container(id), options.signal, async (api) => {
    await api.json({method: 'POST', path: `/containers/${seg(id)}/pause`, signal: options.signal});
  });
}

export function unpauseContainer(ctx: DockerContext, id: string, options: CallOptions = {}): Promise<void> {
  return ctx.call(container(id), options.signal, async (api) => {
    await api.json({method: 'POST', path: `/containers/${seg(id)}/unpause`, signal: options.signal});
  });
}

export function inspectContainer(
  ctx: DockerContext,
  id: string,
  options: CallOptions = {},
): Promise<ContainerDetails> {
  return ctx.call(container(id), options.signal, async (api, client) => {
    const details = fromContainerInspect(
      await api.json({method: 'GET', path: `/containers/${seg(id)}/json`, signal: options.signal}),
    );
    return client.flavor === 'podman' ? fromPodmanDetails(details) : details;
  });
}

/**
`all` defaults to true. Docker's `name` filter is a substring regex; names here are exact, so they are
filtered again on our side.
*/
export function listContainers(
  ctx: DockerContext,
  options: ListContainersOptions = {},
): Promise<readonly ContainerSummary[]> {
  const filters: Record<string, string[]> = {};
  if (options.labels !== undefined && options.labels.length > 0) filters['label'] = [...options.labels];
  if (options.names !== undefined && options.names.length > 0) filters['name'] = [...options.names];
  if (options.ids !== undefined && options.ids.length > 0) filters['id'] = [...options.ids];
  return ctx.call({resource: 'container', ref: ''}, options.signal, async (api, client) => {
    const json = await api.json({
      method: 'GET',
      path: '/containers/json',
      query: {all: options.all ?? true, filters: Object.keys(filters).length > 0 ? filters : undefined},
      signal: options.signal,
    });
    const parsed = (Array.isArray(json) ? (json as unknown[]) : []).map(fromContainerSummary);
    const list = client.flavor === 'podman' ? parsed.map(fromPodmanSummary) : parsed;
    const names = options.names;
    if (names === undefined || names.length === 0) return list;
    const wanted = new Set(names.map((name) => name.replace(/^\//, '')));
    return list.filter((summary) => wanted.has(summary.name));
  });
}

export function updateContainer(
  ctx: DockerContext,
  id: string,
  update: ResourceUpdate,
  options: CallOptions = {},
): Promise<{readonly warnings: readonly string[]}> {
  return ctx.call(container(id), options.signal, async (api, client) => {
    if (client.flavor === 'podman') return podmanUpdate(api, id, update, options.signal);
    const json = await api.json({
      method: 'POST',
      path: `/containers/${seg(id)}/update`,
      body: toUpdateBody(update),
      signal: options.signal,
    });
    return {warnings: strList(json, 'Warnings')};
  });
}

export function commitContainer(
  ctx: DockerContext,
  id: string,
  options: CommitOptions = {},
): Promise<{readonly imageId: string}> {
  return ctx.call(container(id), options.signal, async (api, client) => {
    const podman = client.flavor === 'podman';
    const json = await api.json({
      method: 'POST',
      path: '/commit',
      query: compact({
        container: id,
        repo: options.repo,
        tag: options.tag,
        comment: options.comment,
        author: options.author,
        pause: options.pause,
        changes: options.changes === undefined || options.changes.length === 0 ? undefined : options.changes,
      }),
      // Podman insists on a body (Docker's optional container config) and answers 500 without one.
      ...(podman ? {allowEmptyBody: true} : {}),
      signal: options.signal,
    });
    return {imageId: podman ? dockerImageId(str(json, 'Id')) : str(json, 'Id')};
  });
}

export function waitContainer(
  ctx: DockerContext,
  id: string,
  condition: 'not-running' | 'next-exit' = 'not-running',
  options: CallOptions = {},
): Promise<WaitResult> {
  return ctx.call(container(id), options.signal, async (api) => {
    const json = await api.json({
      method: 'POST',
      path: `/containers/${seg(id)}/wait`,
      query: {condition},
      signal: options.signal,
    });
    const error = optStr(obj(json, 'Error'), 'Message');
    const exitCode = num(json, 'StatusCode');
    return error === undefined || error === '' ? {exitCode} : {exitCode, error};
  });
}

export function topContainer(
  ctx: DockerContext,
  id: string,
  psArgs?: string,
  options: CallOptions = {},
): Promise<TopResult> {
  return ctx.call(container(id), options.signal, async (api, client) => {
    if (client.flavor === 'podman') return podmanTop(api, id, psArgs, options.signal);
    const json = await api.json({
      method: 'GET',
      path: `/containers/${seg(id)}/top`,
      query: {ps_args: psArgs},
      signal: options.signal,
    });
    return {
      titles: strList(json, 'Titles'),
      processes: arr(json, 'Processes').map((row) =>
        Array.isArray(row) ? (row as unknown[]).map((cell) => String(cell)) : [],
      ),
    };
  });
}
