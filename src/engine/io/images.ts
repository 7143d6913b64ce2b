/**
The engine's image operations: list, inspect, pull and remove, in the Engine's terms (NOT_FOUND for an absent
image, `changed` on the mutating ones).
*/
import {pullImageReference} from '../../container/images.js';
import {EngineError} from '../../errors.js';
import {parseImageReference} from '../../images/reference.js';
import type {ImageDetails, ImageSummary, ProgressEvent} from '../../runtime/port.js';
import type {Signal} from '../engine.js';
import type {IoDeps} from './deps.js';

function callOf(options: Signal): Signal {
  return options.signal === undefined ? {} : {signal: options.signal};
}

/** Every local image. */
export async function listImages(deps: IoDeps, options: Signal = {}): Promise<readonly ImageSummary[]> {
  return await deps.runtime.listImages(callOf(options));
}

/** One image by exact reference or id; NOT_FOUND when absent (`nginx` names `nginx:latest` only). */
export async function inspectImage(deps: IoDeps, ref: string, options: Signal = {}): Promise<ImageDetails> {
  const details = await deps.runtime.inspectImage(ref, callOf(options));
  if (details === null) {
    throw new EngineError('NOT_FOUND', `image not found: ${ref}`, {details: {resource: 'image', ref}});
  }
  return details;
}

/**
Pulls `ref` (`:latest` when it names no tag), always: a pull is how one asks the registry for news. `changed`
says the reference now names a different image than before (absent before, or a new id). Progress messages go
to `onProgress`. Throws VALIDATION for a malformed reference, IMAGE_PULL_FAILED, TIMEOUT for a stalled pull.
*/
export async function pullImage(
  deps: IoDeps,
  ref: string,
  options: Signal & {readonly onProgress?: (event: ProgressEvent) => void} = {},
): Promise<{readonly changed: boolean}> {
  const reference = parseImageReference(ref);
  const call = callOf(options);
  const name = reference.digest === undefined ? reference.familiar : reference.pullRef;
  const before = await deps.runtime.inspectImage(name, call);
  await pullImageReference(deps.runtime, ref, reference, {
    ...call,
    ...(options.onProgress === undefined ? {} : {onProgress: options.onProgress}),
  });
  const after = await deps.runtime.inspectImage(name, call);
  return {changed: before?.id !== after?.id};
}

/**
Removes an image by reference or id. Absent: `{changed: false}`. Used by a container: INVALID_STATE (the
engine's 409) unless `force`, which removes the tag even so.
*/
export async function removeImage(
  deps: IoDeps,
  ref: string,
  options: Signal & {readonly force?: boolean} = {},
): Promise<{readonly changed: boolean}> {
  return await deps.runtime.removeImage(ref, {
    ...callOf(options),
    ...(options.force === undefined ? {} : {force: options.force}),
  });
}
