/**
What the server lets clients do beyond reading: `--read-only` serves only non-mutating methods; privileged
containers (and host devices) need `--allow-privileged`; host paths (binds, upload sources) must lie under an
`--allow-bind` root. Checked after the params are valid and before the engine is touched; refusals are
FORBIDDEN (1013) listing every offending field.
*/
import {readlink, realpath} from 'node:fs/promises';
import {dirname, isAbsolute, relative, resolve} from 'node:path';
import {EngineError, type PodSpec, type ValidationIssue} from '../src/index.js';

export interface ServerPolicy {
  readonly readOnly: boolean;
  readonly allowPrivileged: boolean;
  /** Absolute, resolved roots host paths must lie under; empty allows none. */
  readonly allowBindRoots: readonly string[];
}

export const DEFAULT_POLICY: ServerPolicy = {readOnly: false, allowPrivileged: false, allowBindRoots: []};

/** Resolves `--allow-bind` roots once (symlinks followed when the root exists). */
export async function resolveRoots(roots: readonly string[]): Promise<string[]> {
  return Promise.all(roots.map((root) => canonical(resolve(root))));
}

/** More links than this in one path is a loop (Linux gives up at 40 too). */
const MAX_LINKS = 40;

/**
The real path of `path`, or of its nearest existing parent with the rest appended, so symlinks cannot escape a
root. A dangling symlink counts as where it points: Docker creates a missing bind source by following it, so a
link inside a root to a path outside would otherwise make Docker create and bind a directory outside the root.
Throws on a symlink loop.
*/
async function canonical(path: string, links = 0): Promise<string> {
  if (links > MAX_LINKS) throw new Error(`too many symlinks in ${path}`);
  try {
    return await realpath(path);
  } catch {
    let target: string | undefined;
    try {
      target = await readlink(path);
    } catch {
      // Not a symlink (or not there): resolve its parent instead.
    }
    if (target !== undefined) return canonical(resolve(dirname(path), target), links + 1);
    const parent = dirname(path);
    if (parent === path) return path;
    return resolve(await canonical(parent, links), relative(parent, path));
  }
}

/** Whether `path` lies under one of the roots (after resolving symlinks, dangling ones too). */
export async function isUnderRoots(path: string, roots: readonly string[]): Promise<boolean> {
  if (!isAbsolute(path)) return false;
  let real: string;
  try {
    real = await canonical(resolve(path));
  } catch {
    return false;
  }
  return roots.some((root) => {
    const rel = relative(root, real);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}

function bindAllowed(policy: ServerPolicy): string {
  return policy.allowBindRoots.length === 0
    ? 'none: start the server with --allow-bind ROOT to allow host paths under ROOT'
    : `a path under ${policy.allowBindRoots.join(', ')}`;
}

const PRIVILEGED_ALLOWED = 'start the server with --allow-privileged';

export function forbidden(issues: readonly ValidationIssue[]): EngineError {
  const lines = issues.map((issue) => `${issue.path}: ${issue.message}`);
  return new EngineError('FORBIDDEN', `refused by server policy: ${lines.join('; ')}`, {
    details: {issues: issues.map((issue) => ({...issue}))},
  });
}

/** Every policy problem of a pod spec, with params paths (`spec.containers[0].privileged`). */
export async function specPolicyIssues(
  spec: PodSpec,
  policy: ServerPolicy,
  base = 'spec',
): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  for (const [i, container] of spec.containers.entries()) {
    const at = `${base}.containers[${i}]`;
    if (container.privileged === true && !policy.allowPrivileged) {
      issues.push({
        path: `${at}.privileged`,
        message: 'privileged containers are not allowed',
        allowed: PRIVILEGED_ALLOWED,
      });
    }
    for (const [j, resource] of (container.extendedResources ?? []).entries()) {
      if ((resource.devices?.length ?? 0) > 0 && !policy.allowPrivileged) {
        issues.push({
          path: `${at}.extendedResources[${j}].devices`,
          message: 'host devices are not allowed',
          allowed: PRIVILEGED_ALLOWED,
        });
      }
    }
    for (const [j, volume] of (container.volumes ?? []).entries()) {
      if (!(await isUnderRoots(volume.hostPath, policy.allowBindRoots))) {
        issues.push({
          path: `${at}.volumes[${j}].hostPath`,
          message: `host path ${volume.hostPath} is outside the allowed roots`,
          allowed: bindAllowed(policy),
        });
      }
    }
  }
  return issues;
}

export async function checkSpecPolicy(spec: PodSpec, policy: ServerPolicy): Promise<void> {
  const issues = await specPolicyIssues(spec, policy);
  if (issues.length > 0) throw forbidden(issues);
}

export function checkPrivileged(privileged: boolean | undefined, policy: ServerPolicy, path: string): void {
  if (privileged === true && !policy.allowPrivileged) {
    throw forbidden([{path, message: 'privileged exec is not allowed', allowed: PRIVILEGED_ALLOWED}]);
  }
}

export async function checkHostPath(path: string, policy: ServerPolicy, field: string): Promise<void> {
  if (!(await isUnderRoots(path, policy.allowBindRoots))) {
    throw forbidden([
      {path: field, message: `host path ${path} is outside the allowed roots`, allowed: bindAllowed(policy)},
    ]);
  }
}
