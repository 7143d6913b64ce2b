/**
Making sure a pod's images are present before anything is created: the exact reference is looked up (a
present `nginx:1.19` does not make `nginx` present), pulled only when absent or forced, with progress. The
infra image works offline: the local pause image is built when absent, and a configured infra image that is
absent and cannot be pulled falls back to it (design.md §4).
*/
import {LOCAL_IMAGES} from '../constants.js';
import {ensureImage} from '../container/images.js';
import type {OperationProgress} from '../engine/engine.js';
import {isEngineError} from '../errors.js';
import {buildPauseImage} from '../images/local-images.js';
import type {ContainerRuntime} from '../runtime/port.js';
import type {BcsContainerTask} from '../task/types.js';

/** Cancellation and progress of the image checks and pulls. */
export interface EnsureImagesOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: OperationProgress) => void) | undefined;
}

function callOptions(signal: AbortSignal | undefined): {signal?: AbortSignal} {
  return signal === undefined ? {} : {signal};
}

async function buildPause(runtime: ContainerRuntime, options: EnsureImagesOptions): Promise<string> {
  options.onProgress?.({step: 'images', message: `building ${LOCAL_IMAGES.pause}`});
  await buildPauseImage(runtime, callOptions(options.signal));
  return LOCAL_IMAGES.pause;
}

/** The infra image to create from: `image` when present or pullable, else the locally built pause image. */
export async function ensureInfraImage(
  runtime: ContainerRuntime,
  image: string,
  options: EnsureImagesOptions = {},
): Promise<string> {
  if ((await runtime.inspectImage(image, callOptions(options.signal))) !== null) return image;
  if (image === LOCAL_IMAGES.pause) return await buildPause(runtime, options);
  try {
    await pullWithProgress(runtime, image, false, options);
    return image;
  } catch (error) {
    if (isEngineError(error) && error.code === 'CANCELLED') throw error;
    return await buildPause(runtime, options);
  }
}

async function pullWithProgress(
  runtime: ContainerRuntime,
  image: string,
  force: boolean,
  options: EnsureImagesOptions,
): Promise<void> {
  const {onProgress} = options;
  await ensureImage(runtime, image, {
    force,
    ...callOptions(options.signal),
    ...(onProgress === undefined
      ? {}
      : {
          onProgress: (pull) => {
            const percentage =
              pull.total !== undefined && pull.total > 0 && pull.current !== undefined
                ? Math.min(100, Math.round((pull.current / pull.total) * 100))
                : undefined;
            onProgress({
              step: 'pull',
              message: `pulling ${image}: ${pull.status ?? ''}`.trimEnd(),
              ...(percentage === undefined ? {} : {percentage}),
              pull,
            });
          },
        }),
  });
}

/**
Every app image present: each distinct reference once, pulled when absent, or always when any task using it
forces a pull. Failures are IMAGE_PULL_FAILED naming the image.
*/
export async function ensureAppImages(
  runtime: ContainerRuntime,
  tasks: readonly BcsContainerTask[],
  options: EnsureImagesOptions = {},
): Promise<void> {
  const forced = new Map<string, boolean>();
  for (const task of tasks)
    forced.set(task.image, (forced.get(task.image) ?? false) || task.forcePullImage === true);
  for (const [image, force] of forced) {
    options.onProgress?.({step: 'images', message: `checking ${image}`});
    await pullWithProgress(runtime, image, force, options);
  }
}
