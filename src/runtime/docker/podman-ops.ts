/**
The operations podman's Docker-compatible API (podman 4.3) answers differently from dockerd, done so the
answers match: each runs inside DockerContext.call, only when the connection negotiated with podman, and costs
at most an inspect more than the Docker path.
*/
import {EngineError} from '../../errors.js';
import type {ContainerDetails, ResourceUpdate, TopResult} from '../port.js';
import type {ApiClient} from './api-client.js';
import {seg} from './docker-context.js';
import {fromContainerInspect} from './from-inspect.js';
import {arr, strList} from './json.js';
import {splitTopColumns, toLibpodUpdateBody} from './podman-compat.js';

type Signal = AbortSignal | undefined;

async function inspect(api: ApiClient, id: string, signal: Signal): Promise<ContainerDetails> {
  return fromContainerInspect(await api.json({method: 'GET', path: `/containers/${seg(id)}/json`, signal}));
}

function notRunning(id: string, engineMessage: string): EngineError {
  return new EngineError('INVALID_STATE', engineMessage, {
    details: {resource: 'container', ref: id, statusCode: 409, engineMessage},
  });
}

/** The container whose namespace `mode` joins (`container:<id>`), if any. */
function joinedContainer(mode: string | undefined): string | undefined {
  return mode?.startsWith('container:') === true ? mode.slice('container:'.length) : undefined;
}

/**
Docker refuses to start a member whose network (or IPC, PID) container is not running; podman starts that
container first, which would bring a stopped pod's infra back behind the engine's back. Checked up front.
*/
export async function checkJoinedRunning(api: ApiClient, id: string, signal: Signal): Promise<void> {
  const {host} = await inspect(api, id, signal);
  const owners = new Set(
    [host.networkMode, host.ipcMode, host.pidMode]
      .map(joinedContainer)
      .filter((owner): owner is string => owner !== undefined),
  );
  for (const owner of owners) {
    const details = await inspect(api, owner, signal);
    if (!details.state.running) {
      throw notRunning(id, `cannot join namespace of a non running container: ${owner}`);
    }
  }
}

/** Podman stops a created (never started) container with 204; Docker answers 304, which is changed:false. */
export async function isNeverStarted(api: ApiClient, id: string, signal: Signal): Promise<boolean> {
  return (await inspect(api, id, signal)).state.status === 'created';
}

/**
`top`: without ps arguments podman's own process table (libpod's top reads /proc, as dockerd runs `ps` on the
host), with them the compat call, whose one-cell rows are split into columns. Podman answers a container that
is not running with an empty 200; Docker with 409.
*/
export async function podmanTop(
  api: ApiClient,
  id: string,
  psArgs: string | undefined,
  signal: Signal,
): Promise<TopResult> {
  const json = await api.json({
    method: 'GET',
    path: psArgs === undefined ? `/libpod/containers/${seg(id)}/top` : `/containers/${seg(id)}/top`,
    query: {ps_args: psArgs},
    signal,
  });
  if (json === null) throw notRunning(id, `container ${id} is not running`);
  return splitTopColumns({
    titles: strList(json, 'Titles'),
    processes: arr(json, 'Processes').map((row) =>
      Array.isArray(row) ? (row as unknown[]).map((cell) => String(cell)) : [],
    ),
  });
}

/**
Podman 4.3 has no compat update; libpod's update sets cgroup limits (which inspect does not show until podman
5) and cannot change a restart policy. Withdrawing one (`no`) is skipped with a warning: podman never restarts
a container stopped by stop or kill, which is all the engine withdraws it for. Any other change is UNSUPPORTED.
*/
export async function podmanUpdate(
  api: ApiClient,
  id: string,
  update: ResourceUpdate,
  signal: Signal,
): Promise<{readonly warnings: readonly string[]}> {
  const warnings: string[] = [];
  if (update.restartPolicy !== undefined) {
    const current = (await inspect(api, id, signal)).host.restartPolicy?.name ?? 'no';
    const wanted = update.restartPolicy.name;
    if (current !== wanted && wanted !== 'no') {
      throw new EngineError('UNSUPPORTED', `podman cannot change the restart policy of ${id} to ${wanted}`, {
        details: {resource: 'container', ref: id, current, wanted},
      });
    }
    if (current !== wanted) {
      warnings.push(
        `podman keeps restart policy ${current}; it does not restart a container stopped on purpose`,
      );
    }
  }
  const body = toLibpodUpdateBody(update);
  if (Object.keys(body).length > 0) {
    await api.json({method: 'POST', path: `/libpod/containers/${seg(id)}/update`, body, signal});
  }
  return {warnings};
}
