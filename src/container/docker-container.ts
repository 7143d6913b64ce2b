/**
DockerContainer: the seed's Container over a ContainerRuntime (seed-spec §2), with the bugs of §8 fixed.
*/
import {STOP_CONTAINER_GRACE_TIME} from '../constants.js';
import {throwIfAborted, validationError} from '../errors.js';
import {DockerRuntime} from '../runtime/docker/docker-runtime.js';
import type {CallOptions, ContainerRuntime, RegistryAuth} from '../runtime/port.js';
import {inspectToBcsInfo} from '../task/from-inspect.js';
import type {
  BcsContainerInfo,
  BcsContainerTask,
  BcsImage,
  RequestCommandTask,
  Resource,
  ResponseCommandTask,
  TaskResources,
} from '../task/types.js';
import {resourceToUpdate, taskResourcesToUpdate} from '../task/update-resources.js';
import {runCommand, runCommandV2} from './command-task.js';
import type {
  ChangedResult,
  CommitImageOptions,
  Container,
  CreateContainerOptions,
  ListContainerFilter,
  PullImageOptions,
  StopResult,
  UploadContentOptions,
  UploadOptions,
} from './container.js';
import {createFromTask} from './create-container.js';
import {commitContainerImage, listBcsImages, pullImageReference} from './images.js';
import {listContainerInfos} from './list-containers.js';
import {parseImageReference} from '../images/reference.js';
import {stopWithDeadline} from './stop-deadline.js';
import {contentTar, hostPathTar, putTar, uploadTarget} from './upload.js';

export interface DockerContainerOptions {
  /** Any ContainerRuntime (tests inject a fake); by default a DockerRuntime for `endpoint`. */
  readonly runtime?: ContainerRuntime;
  /** `unix:///var/run/docker.sock`, `tcp://host:2375`, ...; default `DOCKER_HOST`, then the local socket. */
  readonly endpoint?: string;
  /** Registry credentials, sent only with images of the registry named by `serveraddress`. */
  readonly auth?: RegistryAuth;
  /** Wall clock a stop may take beyond its own timeout before the engine kills (default 10 s, the seed's). */
  readonly stopGraceMs?: number;
}

/** `number` 1-64, or a name (`SIGTERM`, `TERM`, `SIGRTMIN+3`). Docker resolves names itself. */
function checkedSignal(signal: number | string): string {
  const valid =
    typeof signal === 'number'
      ? Number.isSafeInteger(signal) && signal >= 1 && signal <= 64
      : /^(SIG)?[A-Z][A-Z0-9]*([+-]\d+)?$/i.test(signal) || /^\d+$/.test(signal);
  if (!valid) {
    throw validationError(
      [
        {
          path: 'signal',
          message: `"${signal}" is not a signal`,
          allowed: 'a number 1-64 or a name such as SIGTERM',
        },
      ],
      'kill request',
    );
  }
  return typeof signal === 'number' ? String(signal) : signal.toUpperCase();
}

function signalOnly(options: CallOptions): CallOptions {
  return options.signal === undefined ? {} : {signal: options.signal};
}

/**
The seed's 14 container operations (and `uploadContent`) over a ContainerRuntime. `new DockerContainer()` or
`new DockerContainer(endpoint)` is the seed's NewDockerContainer: nothing is contacted until the first call,
which connects and negotiates the API version. `new DockerContainer({runtime})` runs over any runtime.
*/
export class DockerContainer implements Container {
  /** The runtime underneath, for layers that need more than these operations (the pod, the event watcher). */
  readonly runtime: ContainerRuntime;
  readonly #auth: RegistryAuth | undefined;
  readonly #stopGraceMs: number;

  constructor(endpointOrOptions: string | DockerContainerOptions = {}) {
    const options = typeof endpointOrOptions === 'string' ? {endpoint: endpointOrOptions} : endpointOrOptions;
    this.runtime =
      options.runtime ??
      new DockerRuntime(options.endpoint === undefined ? {} : {endpoint: options.endpoint});
    this.#auth = options.auth;
    this.#stopGraceMs = options.stopGraceMs ?? STOP_CONTAINER_GRACE_TIME * 1000;
  }

  async createContainer(
    name: string,
    task: BcsContainerTask,
    options: CreateContainerOptions = {},
  ): Promise<BcsContainerInfo> {
    return await createFromTask(this.runtime, name, task, {...options, auth: this.#auth});
  }

  async startContainer(id: string, options: CallOptions = {}): Promise<ChangedResult> {
    return await this.runtime.startContainer(id, signalOnly(options));
  }

  async stopContainer(name: string, timeoutSeconds: number, options: CallOptions = {}): Promise<StopResult> {
    return await stopWithDeadline(this.runtime, name, {
      timeoutSeconds,
      graceMs: this.#stopGraceMs,
      ...signalOnly(options),
    });
  }

  async removeContainer(name: string, force: boolean, options: CallOptions = {}): Promise<ChangedResult> {
    return await this.runtime.removeContainer(name, {force, ...signalOnly(options)});
  }

  async killContainer(name: string, signal: number | string, options: CallOptions = {}): Promise<void> {
    await this.runtime.killContainer(name, checkedSignal(signal), signalOnly(options));
  }

  async inspectContainer(name: string, options: CallOptions = {}): Promise<BcsContainerInfo> {
    return inspectToBcsInfo(await this.runtime.inspectContainer(name, signalOnly(options)));
  }

  async pullImage(image: string, options: PullImageOptions = {}): Promise<void> {
    await pullImageReference(this.runtime, image, parseImageReference(image), {...options, auth: this.#auth});
  }

  async listImage(filter?: string, options: CallOptions = {}): Promise<BcsImage[]> {
    return await listBcsImages(this.runtime, filter, options);
  }

  async runCommand(id: string, cmd: readonly string[], options: CallOptions = {}): Promise<void> {
    await runCommand(this.runtime, id, cmd, options);
  }

  async runCommandV2(request: RequestCommandTask, options: CallOptions = {}): Promise<ResponseCommandTask> {
    return await runCommandV2(this.runtime, request, options);
  }

  async uploadToContainer(
    id: string,
    source: string,
    dest: string,
    options: UploadOptions = {},
  ): Promise<void> {
    const target = uploadTarget(dest, options);
    const tar = await hostPathTar(source, target.base, options);
    throwIfAborted(options.signal);
    await putTar(this.runtime, id, target, tar, options.signal);
  }

  async uploadContent(
    id: string,
    dest: string,
    content: Buffer | string,
    options: UploadContentOptions = {},
  ): Promise<void> {
    const target = uploadTarget(dest, options);
    await putTar(this.runtime, id, target, await contentTar(target.base, content, options), options.signal);
  }

  async listContainer(filter: ListContainerFilter = {}): Promise<BcsContainerInfo[]> {
    return await listContainerInfos(this.runtime, filter);
  }

  /** A Resource has `cpus`; anything else is the newer TaskResources. */
  async updateResources(
    id: string,
    resources: TaskResources | Resource,
    options: CallOptions = {},
  ): Promise<{readonly warnings: readonly string[]}> {
    const update = 'cpus' in resources ? resourceToUpdate(resources) : taskResourcesToUpdate(resources);
    return await this.runtime.updateContainer(id, update, signalOnly(options));
  }

  async commitImage(
    id: string,
    image: string,
    options: CommitImageOptions = {},
  ): Promise<{readonly imageId: string}> {
    return await commitContainerImage(this.runtime, id, image, {...options, auth: this.#auth});
  }
}
