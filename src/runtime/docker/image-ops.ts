import type {Readable} from 'node:stream';
import {EngineError, isEngineError} from '../../errors.js';
import type {
  BuildOptions,
  CallOptions,
  ChangeResult,
  ImageDetails,
  ImageSummary,
  PullOptions,
} from '../port.js';
import {imageSeg, type DockerContext} from './docker-context.js';
import {fromImageInspect, fromImageSummary} from './from-image.js';
import {engineMessageOf, isNotFoundStatus, statusCodeOf} from './map-error.js';
import {fromPodmanImage} from './podman-compat.js';
import {InactivityDeadline, readProgress} from './progress.js';

/** The seed's pull inactivity limit: a pull silent this long is abandoned. */
export const DEFAULT_PULL_INACTIVITY_MS = 3 * 60_000;

const image = (ref: string) => ({resource: 'image' as const, ref});

/** Splits `repo[:tag]` at the tag colon (a colon before the last `/` is a registry port). */
export function splitTag(ref: string): {readonly repo: string; readonly tag: string | undefined} {
  const at = ref.indexOf('@');
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) return {repo: name.slice(0, colon), tag: name.slice(colon + 1)};
  return {repo: name, tag: undefined};
}

/** True when the reference names one image (a tag or a digest); a bare name would pull every tag. */
export function namesOneImage(ref: string): boolean {
  return ref.includes('@') || splitTag(ref).tag !== undefined;
}

/** Exact reference resolution; null when the engine has no such image. */
export function inspectImage(
  ctx: DockerContext,
  ref: string,
  options: CallOptions = {},
): Promise<ImageDetails | null> {
  return ctx.call(image(ref), options.signal, async (api, client) => {
    try {
      const details = fromImageInspect(
        await api.json({method: 'GET', path: `/images/${imageSeg(ref)}/json`, signal: options.signal}),
      );
      return client.flavor === 'podman' ? fromPodmanImage(details) : details;
    } catch (error) {
      if (isNotFoundStatus(error)) return null;
      throw error;
    }
  });
}

export function listImages(
  ctx: DockerContext,
  options: CallOptions & {readonly reference?: string; readonly labels?: readonly string[]} = {},
): Promise<readonly ImageSummary[]> {
  const filters: Record<string, string[]> = {};
  if (options.reference !== undefined) filters['reference'] = [options.reference];
  if (options.labels !== undefined && options.labels.length > 0) filters['label'] = [...options.labels];
  return ctx.call(image(options.reference ?? ''), options.signal, async (api, client) => {
    const json = await api.json({
      method: 'GET',
      path: '/images/json',
      query: {filters: Object.keys(filters).length > 0 ? filters : undefined},
      signal: options.signal,
    });
    const list = (Array.isArray(json) ? (json as unknown[]) : []).map(fromImageSummary);
    return client.flavor === 'podman' ? list.map(fromPodmanImage) : list;
  });
}

/**
`POST /images/create`, following the progress stream. A bare name gets `:latest` (Docker would pull every
tag); digests are kept. Any `error` in the stream or a non-2xx answer is IMAGE_PULL_FAILED; silence longer
than `inactivityTimeoutMs` is TIMEOUT. Credentials carry `serveraddress`, so they go to that registry only.
*/
export function pullImage(ctx: DockerContext, ref: string, options: PullOptions = {}): Promise<void> {
  const timeoutMs = options.inactivityTimeoutMs ?? DEFAULT_PULL_INACTIVITY_MS;
  return followImageStream(ctx, ref, options, timeoutMs, 'IMAGE_PULL_FAILED', 'pull', {
    method: 'POST',
    path: '/images/create',
    query: namesOneImage(ref) ? {fromImage: ref} : {fromImage: ref, tag: 'latest'},
  });
}

/** `POST /images/{name}/push?tag=`, following the stream; failures are ENGINE_ERROR with the engine's words. */
export function pushImage(ctx: DockerContext, ref: string, options: PullOptions = {}): Promise<void> {
  const {repo, tag} = splitTag(ref);
  const timeoutMs = options.inactivityTimeoutMs ?? DEFAULT_PULL_INACTIVITY_MS;
  return followImageStream(ctx, ref, options, timeoutMs, 'ENGINE_ERROR', 'push', {
    method: 'POST',
    path: `/images/${imageSeg(repo)}/push`,
    query: {tag: tag ?? 'latest'},
    // The daemon insists on the header for push; empty credentials are `{}`.
    ...(options.auth === undefined
      ? {headers: {'X-Registry-Auth': Buffer.from('{}').toString('base64')}}
      : {}),
  });
}

async function followImageStream(
  ctx: DockerContext,
  ref: string,
  options: PullOptions,
  timeoutMs: number,
  failCode: 'IMAGE_PULL_FAILED' | 'ENGINE_ERROR',
  verb: 'pull' | 'push',
  request: {
    readonly method: 'POST';
    readonly path: string;
    readonly query: Readonly<Record<string, string>>;
    readonly headers?: Readonly<Record<string, string>>;
  },
): Promise<void> {
  const deadline = new InactivityDeadline(timeoutMs, options.signal);
  const failed = (engineMessage: string, cause?: unknown) =>
    new EngineError(failCode, `${verb} of ${ref} failed: ${engineMessage}`, {
      details: {ref, engineMessage},
      cause,
    });
  try {
    await ctx.call(image(ref), deadline.signal, async (api) => {
      let stream: Readable;
      try {
        stream = await api.stream({
          ...request,
          ...(options.auth === undefined ? {} : {auth: options.auth}),
          signal: deadline.signal,
        });
      } catch (error) {
        // The engine refused outright (404 unknown repository, 500 registry unreachable): still a failed pull.
        if (statusCodeOf(error) !== undefined && !(verb === 'push' && isNotFoundStatus(error))) {
          throw failed(engineMessageOf(error), error);
        }
        throw error;
      }
      const outcome = await readProgress(stream, {
        onProgress: options.onProgress,
        onData: () => deadline.touch(),
      });
      if (outcome.error !== undefined) throw failed(outcome.error);
    });
  } catch (error) {
    if (deadline.expired && !(isEngineError(error) && error.code === failCode)) {
      throw new EngineError('TIMEOUT', `${verb} of ${ref} made no progress for ${timeoutMs} ms`, {
        details: {ref, timeoutMs},
        cause: error,
      });
    }
    throw error;
  } finally {
    deadline.dispose();
  }
}

/** `POST /images/{source}/tag?repo=&tag=`. */
export function tagImage(
  ctx: DockerContext,
  source: string,
  target: string,
  options: CallOptions = {},
): Promise<void> {
  const {repo, tag} = splitTag(target);
  return ctx.call(image(source), options.signal, async (api) => {
    await api.json({
      method: 'POST',
      path: `/images/${imageSeg(source)}/tag`,
      query: {repo, tag: tag ?? 'latest'},
      signal: options.signal,
    });
  });
}

/** An image already absent is `{changed: false}`; one in use (without force) is INVALID_STATE. */
export function removeImage(
  ctx: DockerContext,
  ref: string,
  options: CallOptions & {readonly force?: boolean} = {},
): Promise<ChangeResult> {
  return ctx.call(image(ref), options.signal, async (api) => {
    try {
      await api.json({
        method: 'DELETE',
        path: `/images/${imageSeg(ref)}`,
        query: {force: options.force},
        signal: options.signal,
      });
      return {changed: true};
    } catch (error) {
      if (isNotFoundStatus(error)) return {changed: false};
      throw error;
    }
  });
}

/**
`POST /build` with a tar context; follows the stream (`stream` lines as progress) and fails on `error`. The id
comes from `aux.ID`, or from inspecting the tag when the builder sent none.
*/
export async function buildImage(
  ctx: DockerContext,
  context: Readable | Buffer,
  options: BuildOptions,
): Promise<{readonly imageId: string}> {
  const auxId = await ctx.call(image(options.tag), options.signal, async (api) => {
    const stream = await api.stream({
      method: 'POST',
      path: '/build',
      query: {
        t: options.tag,
        labels: options.labels === undefined ? undefined : {...options.labels},
        rm: true,
        forcerm: true,
      },
      file: context,
      headers: {'Content-Type': 'application/x-tar'},
      signal: options.signal,
    });
    const outcome = await readProgress(stream, {onProgress: options.onProgress});
    if (outcome.error !== undefined) {
      throw new EngineError('ENGINE_ERROR', `build of ${options.tag} failed: ${outcome.error}`, {
        details: {statusCode: 200, engineMessage: outcome.error, ref: options.tag},
      });
    }
    return outcome.auxId;
  });
  if (auxId !== undefined) return {imageId: auxId};
  const built = await inspectImage(
    ctx,
    options.tag,
    options.signal === undefined ? {} : {signal: options.signal},
  );
  if (built === null) {
    throw new EngineError('ENGINE_ERROR', `build of ${options.tag} reported success but the tag is absent`, {
      details: {statusCode: 200, engineMessage: '', ref: options.tag},
    });
  }
  return {imageId: built.id};
}
