/**
A container's file system as an image: `commit` tags the result `image` (`:latest` when untagged) and pushes
it when asked, over the container layer's `commitContainerImage`.
*/
import {commitContainerImage} from '../../container/images.js';
import {withDefaultTag} from '../../images/reference.js';
import type {Signal} from '../engine.js';
import type {IoDeps} from './deps.js';

export interface CommitIoOptions extends Signal {
  /** The reference to tag the image with (no digest). */
  readonly image: string;
  /** Push it to its registry afterwards (default false). */
  readonly push?: boolean;
}

/**
Commits container `ref` (paused while it is read, Docker's default) as `image`. `changed` says the tag now
names a different image than before (false only when the container's file system and config gave the very
same image id). Secret env values of the pod's spec are left out of the image (their keys kept, empty). Throws
VALIDATION for a malformed reference or one with a digest, and ENGINE_ERROR with
`details.stage = 'push'` when only the push failed.
*/
export async function commit(
  deps: IoDeps,
  ref: string,
  options: CommitIoOptions,
): Promise<{readonly imageId: string; readonly changed: boolean}> {
  const tagged = withDefaultTag(options.image);
  const container = await deps.resolve(ref, options.signal);
  const call = options.signal === undefined ? {} : {signal: options.signal};
  const before = await deps.runtime.inspectImage(tagged, call);
  // The container's env goes into the image's config; a secret value must not (an image is shared, pushed):
  // its key stays, empty, so a run of the image has to supply it again.
  // Nothing known (a member made by an older build whose pod spec is gone): the env is kept as it is, since
  // blanking every value would blank PATH and the image's own settings too.
  const secret =
    container.pod === '' ? [] : [...(deps.secretEnvKeys?.(container.pod, container.id) ?? [])].sort();
  const {imageId} = await commitContainerImage(deps.runtime, container.id, options.image, {
    ...call,
    ...(options.push === undefined ? {} : {push: options.push}),
    ...(secret.length === 0 ? {} : {changes: secret.map((key) => `ENV ${key}=""`)}),
  });
  return {imageId, changed: before?.id !== imageId};
}
