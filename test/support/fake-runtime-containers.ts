/**
Container operations of the fake runtime, with Docker's answers: 304-like `changed: false`, 409s for names
and states, 404s naming what is missing, and the events each move emits. FakeRuntime checks the call
(cancellation, a down daemon, injected failures) and then lands here.
*/
import type {
  CallOptions,
  ChangeResult,
  CommitOptions,
  ContainerCreateSpec,
  RemoveOptions,
  ResourceUpdate,
  TopResult,
  WaitResult,
} from '../../src/runtime/port.js';
import type {FakeContainer, FakeState} from './fake-runtime-state.js';
import {
  cancelled,
  conflict,
  engineError,
  notFound,
  signalNumber,
  signalTerminates,
} from './fake-runtime-util.js';
import {definedOnly, isUp, mergeEnv, MIN_MEMORY, validateCreate} from './fake-runtime-views.js';

export class FakeContainerOps {
  readonly #state: FakeState;
  #unnamed = 0;

  constructor(state: FakeState) {
    this.#state = state;
  }

  /** Docker's stop: `kill` (15), the process exits (143 here: no PID 1 ignoring SIGTERM), `stop`. */
  stop(container: FakeContainer): void {
    container.manuallyStopped = true;
    this.#state.emitContainer('kill', container, {signal: '15'});
    this.#state.exit(container, 143);
    this.#state.emitContainer('stop', container);
  }

  createContainer(spec: ContainerCreateSpec): {readonly id: string; readonly warnings: readonly string[]} {
    validateCreate(spec);
    const image = this.#state.images.resolve(spec.image);
    if (image === undefined) throw notFound('image', spec.image);
    let name: string;
    if (spec.name !== undefined) {
      name = spec.name.replace(/^\//, '');
      const taken = this.#state.find(name);
      if (taken?.name === name) {
        throw conflict(
          'ALREADY_EXISTS',
          'container',
          name,
          `Conflict. The container name "/${name}" is already in use by container "${taken.id}". You have to remove (or rename) that container to be able to reuse that name.`,
        );
      }
    } else {
      name = `fake_${this.#unnamed++}`;
    }
    const container = this.#state.newContainer(spec, image, name);
    this.#state.containers.set(container.id, container);
    this.#state.emitContainer('create', container);
    return {id: container.id, warnings: []};
  }

  startContainer(id: string): ChangeResult {
    const container = this.#state.get(id);
    if (container.status === 'running') return {changed: false};
    if (container.status === 'paused') {
      throw conflict(
        'INVALID_STATE',
        'container',
        id,
        'cannot start a paused container, try unpause instead',
      );
    }
    for (const [mode, what] of [
      [container.host.networkMode, 'network'],
      [container.host.ipcMode, 'IPC'],
      [container.host.pidMode, 'PID namespace'],
    ] as const) {
      if (mode?.startsWith('container:') !== true) continue;
      const target = this.#state.get(mode.slice('container:'.length));
      if (!isUp(target)) {
        throw conflict(
          'INVALID_STATE',
          'container',
          id,
          `cannot join ${what} of a non running container: ${target.id}`,
        );
      }
    }
    for (const network of container.endpoints.keys()) this.#state.networks.get(network);
    this.#state.run(container);
    return {changed: true};
  }

  stopContainer(id: string): ChangeResult {
    const container = this.#state.get(id);
    if (!isUp(container)) return {changed: false};
    this.stop(container);
    return {changed: true};
  }

  restartContainer(id: string): void {
    const container = this.#state.get(id);
    if (isUp(container)) this.stop(container);
    if (container.removed) throw notFound('container', id);
    this.#state.run(container);
    this.#state.emitContainer('restart', container);
  }

  killContainer(id: string, signal: string | number = 'SIGKILL'): void {
    const container = this.#state.get(id);
    const number = signalNumber(signal);
    if (number === undefined) throw engineError(400, `Invalid signal: ${String(signal)}`);
    if (!isUp(container)) {
      throw conflict(
        'INVALID_STATE',
        'container',
        id,
        `Cannot kill container: ${id}: Container ${container.id} is not running`,
      );
    }
    this.#state.emitContainer('kill', container, {signal: String(number)});
    if (signalTerminates(number)) {
      container.manuallyStopped = true;
      this.#state.exit(container, 128 + number);
    }
  }

  removeContainer(id: string, options: RemoveOptions = {}): ChangeResult {
    const container = this.#state.find(id);
    if (container === undefined) return {changed: false};
    if (isUp(container)) {
      if (options.force !== true) {
        throw conflict(
          'INVALID_STATE',
          'container',
          id,
          `You cannot remove a running container ${container.id}. Stop the container before attempting removal or force remove`,
        );
      }
      container.manuallyStopped = true;
      this.#state.emitContainer('kill', container, {signal: '9'});
      this.#state.exit(container, 137);
    }
    this.#state.destroy(container);
    return {changed: true};
  }

  pauseContainer(id: string): void {
    const container = this.#state.get(id);
    if (container.status === 'paused') {
      throw conflict('INVALID_STATE', 'container', id, `Container ${container.id} is already paused`);
    }
    if (container.status !== 'running') {
      throw conflict('INVALID_STATE', 'container', id, `Container ${container.id} is not running`);
    }
    container.status = 'paused';
    this.#state.emitContainer('pause', container);
  }

  unpauseContainer(id: string): void {
    const container = this.#state.get(id);
    // Docker answers 500 here, not 409.
    if (container.status !== 'paused') throw engineError(500, `Container ${container.id} is not paused`);
    container.status = 'running';
    this.#state.emitContainer('unpause', container);
  }

  updateContainer(id: string, update: ResourceUpdate): {readonly warnings: readonly string[]} {
    const container = this.#state.get(id);
    const {memory, memorySwap} = update;
    if (memory !== undefined && memory > 0 && memory < MIN_MEMORY) {
      throw engineError(400, 'Minimum memory limit allowed is 6MB');
    }
    const currentSwap = container.host.memorySwap ?? 0;
    if (memory !== undefined && memorySwap === undefined && currentSwap !== -1 && memory > currentSwap) {
      throw conflict(
        'INVALID_STATE',
        'container',
        id,
        `Cannot update container ${container.id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time`,
      );
    }
    container.host = {
      ...container.host,
      ...definedOnly({
        cpuShares: update.cpuShares,
        cpuPeriod: update.cpuPeriod,
        cpuQuota: update.cpuQuota,
        memory,
        memorySwap,
        restartPolicy: update.restartPolicy,
      }),
    };
    this.#state.emitContainer('update', container);
    return {warnings: []};
  }

  commitContainer(id: string, options: CommitOptions = {}): {readonly imageId: string} {
    const container = this.#state.get(id);
    const ref = options.repo === undefined ? undefined : `${options.repo}:${options.tag ?? 'latest'}`;
    const image = this.#state.images.add(
      ref,
      {
        ...container.image.config,
        ...definedOnly({cmd: container.spec.cmd, entrypoint: container.spec.entrypoint}),
        env: applyEnvChanges(
          mergeEnv(container.image.config.env, container.spec.env ?? []),
          options.changes ?? [],
        ),
      },
      container.fs.clone(),
    );
    this.#state.emitContainer('commit', container);
    return {imageId: image.id};
  }

  waitContainer(
    id: string,
    condition: 'not-running' | 'next-exit' = 'not-running',
    options: CallOptions = {},
  ): Promise<WaitResult> {
    const container = this.#state.get(id);
    if (condition === 'not-running' && !isUp(container))
      return Promise.resolve({exitCode: container.exitCode});
    const {signal} = options;
    return new Promise<WaitResult>((resolve, reject) => {
      const onAbort = () => {
        container.exitWaiters.delete(done);
        reject(cancelled(signal?.reason));
      };
      const done = (result: WaitResult) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      container.exitWaiters.add(done);
      signal?.addEventListener('abort', onAbort, {once: true});
    });
  }

  topContainer(id: string): TopResult {
    const container = this.#state.get(id);
    if (!isUp(container)) {
      throw conflict('INVALID_STATE', 'container', id, `Container ${container.id} is not running`);
    }
    const argv = [
      ...(container.spec.entrypoint ?? container.image.config.entrypoint),
      ...(container.spec.cmd ?? container.image.config.cmd),
    ];
    const row = (pid: number, ppid: number, cmd: string) => [
      'root',
      String(pid),
      String(ppid),
      '0',
      '00:00',
      '?',
      '00:00:00',
      cmd,
    ];
    const processes =
      container.host.init === true
        ? [
            row(container.pid, 0, `/sbin/docker-init -- ${argv.join(' ')}`),
            row(container.pid + 1, container.pid, argv.join(' ')),
          ]
        : [row(container.pid, 0, argv.join(' '))];
    return {titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], processes};
  }
}

/** Docker's commit `changes`, as far as the fake goes: `ENV KEY=VALUE` (a quoted value unquoted). */
function applyEnvChanges(env: readonly string[], changes: readonly string[]): string[] {
  let result = [...env];
  for (const change of changes) {
    const match = /^ENV\s+([^=\s]+)=(.*)$/.exec(change);
    if (match === null) throw new Error(`the fake runtime applies only ENV KEY=VALUE changes, not ${change}`);
    const [, key = '', raw = ''] = match;
    const value = /^".*"$/.test(raw) ? (JSON.parse(raw) as string) : raw;
    result = mergeEnv(result, [`${key}=${value}`]);
  }
  return result;
}
