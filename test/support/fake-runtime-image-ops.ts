/** Image operations of the fake runtime: list, pull (from the fake registry), push, tag, remove, build. */
import type {Readable} from 'node:stream';
import {EngineError} from '../../src/errors.js';
import type {
  BuildOptions,
  CallOptions,
  ChangeResult,
  ImageSummary,
  ProgressEvent,
  PullOptions,
} from '../../src/runtime/port.js';
import {familiarRef, toImageSummary} from './fake-runtime-images.js';
import type {FakeState} from './fake-runtime-state.js';
import {conflict, matchesLabels, notFound, sleep} from './fake-runtime-util.js';
import {isUp} from './fake-runtime-views.js';

export class FakeImageOps {
  readonly #state: FakeState;

  constructor(state: FakeState) {
    this.#state = state;
  }

  listImages(
    options: CallOptions & {readonly reference?: string; readonly labels?: readonly string[]} = {},
  ): readonly ImageSummary[] {
    const store = this.#state.images;
    return store
      .list()
      .filter((image) => options.reference === undefined || store.matchesReference(image, options.reference))
      .filter((image) => matchesLabels(image.config.labels, options.labels))
      .map(toImageSummary);
  }

  async pullImage(ref: string, options: PullOptions = {}): Promise<void> {
    const store = this.#state.images;
    const refusal = store.pullRefusal(ref, options.auth);
    if (refusal !== undefined) {
      throw new EngineError('IMAGE_PULL_FAILED', `pull of ${ref} failed: ${refusal}`, {
        details: {ref, engineMessage: refusal},
      });
    }
    const entry = store.registryEntry(ref);
    const timeoutMs = options.inactivityTimeoutMs ?? 180_000;
    if (entry?.stallMs !== undefined && entry.stallMs > 0) {
      await sleep(Math.min(entry.stallMs, timeoutMs), options.signal);
      if (timeoutMs <= entry.stallMs) {
        throw new EngineError('TIMEOUT', `pull of ${ref} made no progress for ${timeoutMs} ms`, {
          details: {ref, timeoutMs},
        });
      }
    }
    const tag = familiarRef(ref);
    const progress: ProgressEvent[] = [
      {status: `Pulling from ${tag.replace(/:[^:/]+$/, '')}`, id: tag.slice(tag.lastIndexOf(':') + 1)},
      {status: 'Pull complete', id: 'fakelayer'},
      {status: `Status: Downloaded newer image for ${tag}`},
    ];
    for (const event of progress) options.onProgress?.(event);
    const existing = store.resolve(ref);
    if (existing === undefined) store.add(ref, entry?.config ?? {});
    this.#state.emit('image', 'pull', tag, {name: tag});
  }

  pushImage(ref: string, options: PullOptions = {}): void {
    const image = this.#state.images.resolve(ref);
    if (image === undefined)
      throw notFound('image', ref, `An image does not exist locally with the tag: ${ref}`);
    options.onProgress?.({status: `The push refers to repository [${familiarRef(ref)}]`});
    this.#state.images.addToRegistry(ref, {config: image.config});
    this.#state.emit('image', 'push', familiarRef(ref), {name: familiarRef(ref)});
  }

  tagImage(source: string, target: string): void {
    const image = this.#state.images.resolve(source);
    if (image === undefined) throw notFound('image', source);
    this.#state.images.tag(image, target);
    this.#state.emit('image', 'tag', image.id, {name: familiarRef(target)});
  }

  removeImage(ref: string, options: CallOptions & {readonly force?: boolean} = {}): ChangeResult {
    const store = this.#state.images;
    const image = store.resolve(ref);
    if (image === undefined) return {changed: false};
    const byTag = image.repoTags.find(
      (tag) => familiarRef(tag) === familiarRef(ref) && !ref.startsWith('sha256:'),
    );
    if (byTag !== undefined && image.repoTags.length > 1) {
      image.repoTags = image.repoTags.filter((tag) => tag !== byTag);
      this.#state.emit('image', 'untag', image.id, {name: byTag});
      return {changed: true};
    }
    const users = [...this.#state.containers.values()].filter((c) => c.image.id === image.id);
    if (users.some(isUp) || (users.length > 0 && options.force !== true)) {
      throw conflict(
        'INVALID_STATE',
        'image',
        ref,
        `conflict: unable to remove repository reference "${ref}" (must force) - container ${users[0]?.id.slice(0, 12) ?? ''} is using its referenced image ${image.id.slice(7, 19)}`,
      );
    }
    if (byTag === undefined && image.repoTags.length > 1 && options.force !== true) {
      throw conflict(
        'INVALID_STATE',
        'image',
        ref,
        `conflict: unable to delete ${image.id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`,
      );
    }
    store.delete(image);
    for (const tag of image.repoTags) this.#state.emit('image', 'untag', image.id, {name: tag});
    this.#state.emit('image', 'delete', image.id, {name: image.id});
    return {changed: true};
  }

  async buildImage(context: Readable | Buffer, options: BuildOptions): Promise<{readonly imageId: string}> {
    const image = await this.#state.images.build(context, options.tag, options.labels ?? {});
    options.onProgress?.({stream: `Successfully built ${image.id.slice(7, 19)}\n`});
    options.onProgress?.({stream: `Successfully tagged ${familiarRef(options.tag)}\n`});
    this.#state.emit('image', 'tag', image.id, {name: familiarRef(options.tag)});
    return {imageId: image.id};
  }
}
