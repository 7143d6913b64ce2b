/**
Files into a container, over the container layer's upload helpers: a host file or directory (`source`), or
content given inline (`content`), extracted exactly at `dest`.
*/
import {contentTar, hostPathTar, putTar, uploadTarget} from '../../container/upload.js';
import {throwIfAborted, validationError, type ValidationIssue} from '../../errors.js';
import type {PodUploadOptions} from '../engine.js';
import type {IoDeps} from './deps.js';

function uploadIssues(options: PodUploadOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const hasSource = options.source !== undefined && options.source !== '';
  if (hasSource === (options.content !== undefined)) {
    issues.push({
      path: 'source',
      message: 'give either a source path or the content',
      allowed: 'one of source, content',
    });
  }
  if (hasSource && options.mode !== undefined) {
    // A host path keeps its own modes; one mode for a whole directory tree would be wrong more often than right.
    issues.push({path: 'mode', message: 'mode applies to content only; a source keeps its host modes'});
  }
  return issues;
}

/**
Uploads into container `ref`. `content` becomes one file at `dest` (mode 0o644 unless `mode`, owned by root);
`source` is a host file or directory placed at `dest` with its modes. Always `{changed: true}` (the engine
does not compare files). Throws VALIDATION for bad options, NOT_FOUND for a missing source, container or
parent directory of `dest`.
*/
export async function upload(
  deps: IoDeps,
  ref: string,
  options: PodUploadOptions,
): Promise<{readonly changed: boolean}> {
  const issues = uploadIssues(options);
  if (issues.length > 0) throw validationError(issues, 'upload');
  const target = uploadTarget(options.dest, options.mode === undefined ? {} : {mode: options.mode});
  const container = await deps.resolve(ref, options.signal);
  const tar =
    options.content !== undefined
      ? await contentTar(target.base, options.content, options.mode === undefined ? {} : {mode: options.mode})
      : await hostPathTar(options.source ?? '', target.base);
  throwIfAborted(options.signal);
  await putTar(deps.runtime, container.id, target, tar, options.signal);
  return {changed: true};
}
