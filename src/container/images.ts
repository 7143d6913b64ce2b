/**
The image side of the Container operations: presence by exact reference, pull, list and commit (seed-spec
§2 PullImage, ListImage, CommitImage, and the CreateContainer image check; fixes of §8.5 and §8.17).
*/
import {EngineError, isEngineError, validationError} from '../errors.js';
import {
  IMAGE_REFERENCE_FORM,
  parseImageReference,
  withDefaultTag,
  type ImageReference,
} from '../images/reference.js';
import type {
  CallOptions,
  ContainerRuntime,
  ImageSummary,
  ProgressEvent,
  RegistryAuth,
} from '../runtime/port.js';
import type {BcsImage} from '../task/types.js';
import {authFor} from './registry-auth.js';

export interface ImageCallOptions extends CallOptions {
  readonly auth?: RegistryAuth | undefined;
  readonly onProgress?: ((event: ProgressEvent) => void) | undefined;
}

/**
Pulls `image` (`:latest` when it names no tag, by digest when it has one). Credentials go along only when they
are for the image's registry. Failures are IMAGE_PULL_FAILED naming the image as the caller wrote it (a pull
that stalls is TIMEOUT, a cancelled one CANCELLED).
*/
export async function pullImageReference(
  runtime: ContainerRuntime,
  image: string,
  reference: ImageReference,
  options: ImageCallOptions = {},
): Promise<void> {
  const auth = authFor(reference, options.auth);
  try {
    await runtime.pullImage(reference.pullRef, {
      ...(auth === undefined ? {} : {auth}),
      ...(options.onProgress === undefined ? {} : {onProgress: options.onProgress}),
      ...(options.signal === undefined ? {} : {signal: options.signal}),
    });
  } catch (error) {
    if (!isEngineError(error) || error.code !== 'IMAGE_PULL_FAILED') throw error;
    const engineMessage =
      typeof error.details['engineMessage'] === 'string' ? error.details['engineMessage'] : '';
    throw new EngineError(
      'IMAGE_PULL_FAILED',
      `cannot pull image "${image}": ${engineMessage || error.message}`,
      {
        details: {...error.details, image, ref: reference.pullRef},
        cause: error,
      },
    );
  }
}

/**
Makes sure the image of a task is present: `GET /images/{ref}/json` on the parsed reference (so a present
`nginx:1.19` does not make `nginx` present, and a fully qualified name is found under its short one), and a
pull when it is absent or `force`. Returns the reference to create the container from.
*/
export async function ensureImage(
  runtime: ContainerRuntime,
  image: string,
  options: ImageCallOptions & {readonly force?: boolean} = {},
): Promise<ImageReference> {
  const reference = parseImageReference(image);
  const callOptions = options.signal === undefined ? {} : {signal: options.signal};
  const present =
    options.force === true ? false : (await runtime.inspectImage(reference.familiar, callOptions)) !== null;
  if (!present) await pullImageReference(runtime, image, reference, options);
  return reference;
}

function toBcsImage(summary: ImageSummary): BcsImage {
  return {id: summary.id, repository: [...summary.repoTags], created: summary.created, size: summary.size};
}

/**
The `reference` filter for `filter`: a glob goes as given; a reference is normalized to Docker's short form
(the seed's `docker.io/library/nginx:1.19` matched nothing), keeping "every tag" for a name given without one.
*/
export function referenceFilter(filter: string): string {
  if (/[*?[]/.test(filter)) return filter;
  const reference = parseImageReference(filter);
  const pinned = withDefaultTag(filter) === filter;
  return pinned ? reference.familiar : reference.familiar.replace(/:latest$/, '');
}

/** Local images as BcsImage (id, RepoTags, created, size), all of them or those matching `filter`. */
export async function listBcsImages(
  runtime: ContainerRuntime,
  filter: string | undefined,
  options: CallOptions = {},
): Promise<BcsImage[]> {
  const reference = filter === undefined || filter === '' ? undefined : referenceFilter(filter);
  const images = await runtime.listImages({
    ...(reference === undefined ? {} : {reference}),
    ...(options.signal === undefined ? {} : {signal: options.signal}),
  });
  return images.map(toBcsImage);
}

/**
Commits container `id` as `image` (repository and tag split by the reference parser; `:latest` when untagged)
and pushes it when `push`. A push failure is ENGINE_ERROR with `details.stage = 'push'` and the committed
image id (the commit itself stands).
*/
export async function commitContainerImage(
  runtime: ContainerRuntime,
  id: string,
  image: string,
  options: ImageCallOptions & {readonly push?: boolean; readonly changes?: readonly string[]} = {},
): Promise<{readonly imageId: string}> {
  const reference = parseImageReference(image);
  if (reference.digest !== undefined) {
    throw validationError(
      [
        {
          path: 'image',
          message: `"${image}" has a digest; a commit can only be tagged`,
          allowed: IMAGE_REFERENCE_FORM,
        },
      ],
      'commit target',
    );
  }
  const tag = reference.tag ?? 'latest';
  const repo = reference.familiar.slice(0, reference.familiar.length - tag.length - 1);
  const callOptions = options.signal === undefined ? {} : {signal: options.signal};
  const {imageId} = await runtime.commitContainer(id, {
    repo,
    tag,
    ...(options.changes === undefined ? {} : {changes: options.changes}),
    ...callOptions,
  });
  if (options.push !== true) return {imageId};
  const auth = authFor(reference, options.auth);
  try {
    await runtime.pushImage(`${repo}:${tag}`, {
      ...(auth === undefined ? {} : {auth}),
      ...(options.onProgress === undefined ? {} : {onProgress: options.onProgress}),
      ...callOptions,
    });
  } catch (error) {
    if (!isEngineError(error) || error.code !== 'ENGINE_ERROR') throw error;
    throw new EngineError(
      'ENGINE_ERROR',
      `committed ${imageId} as ${repo}:${tag}, but the push failed: ${error.message}`,
      {
        details: {...error.details, stage: 'push', image: `${repo}:${tag}`, imageId},
        cause: error,
      },
    );
  }
  return {imageId};
}
