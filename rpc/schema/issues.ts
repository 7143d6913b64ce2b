/**
zod issues as the engine's ValidationIssue (`{path, message, allowed?}`), with paths written the way the
engine writes them (`spec.containers[1].resources.memMB`), one issue per unknown field.
*/
import type {z} from 'zod';

export interface ParamIssue {
  readonly path: string;
  readonly message: string;
  readonly allowed?: string;
}

type PathKey = PropertyKey;

/** Keys written `.key`; any other is written `["key"]`, as the engine's keyPath writes map keys. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function joinPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function valueAt(input: unknown, path: readonly PathKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function allowedOf(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== 'custom') return undefined;
  const allowed = (issue.params as Record<string, unknown> | undefined)?.['allowed'];
  return typeof allowed === 'string' ? allowed : undefined;
}

/** Every issue of a failed parse; `input` is what was parsed (to tell "missing" from "wrong type"). */
export function toParamIssues(
  error: z.ZodError,
  input: unknown,
  knownFields?: readonly string[],
): ParamIssue[] {
  const issues: ParamIssue[] = [];
  for (const issue of error.issues) {
    const base = joinPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({
          path: joinPath([...issue.path, key]),
          message: 'unknown field',
          ...(issue.path.length === 0 && knownFields !== undefined
            ? {allowed: knownFields.length === 0 ? 'no fields' : knownFields.join(', ')}
            : {}),
        });
      }
      continue;
    }
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
      issues.push({path: base, message: 'is required'});
      continue;
    }
    const allowed = allowedOf(issue);
    issues.push({path: base, message: issue.message, ...(allowed === undefined ? {} : {allowed})});
  }
  return issues;
}
