/**
The `spec` param of pod.create and pod.apply: a pod spec object (validated by the engine's validatePodSpec) or
its JSON/YAML text (parsePodSpec). Every problem is a params issue with its full path (`spec.containers[0].image`),
so the whole spec is checked before the engine is touched. Its JSON Schema is the engine's podSpecJsonSchema().
*/
import {z} from 'zod';
import {
  isEngineError,
  parsePodSpec,
  podSpecJsonSchema,
  validatePodSpec,
  type PodSpec,
} from '../../src/index.js';
import type {ParamIssue} from './issues.js';

function specIssues(value: unknown): {readonly spec: PodSpec} | {readonly issues: readonly ParamIssue[]} {
  if (typeof value !== 'string') return validatePodSpec(value);
  try {
    return {spec: parsePodSpec(value)};
  } catch (error) {
    if (isEngineError(error) && Array.isArray(error.details['issues'])) {
      return {issues: error.details['issues'] as ParamIssue[]};
    }
    throw error;
  }
}

/**
`containers[1].labels["a.b"].x` → ['containers', 1, 'labels', 'a.b', 'x'] (joinPath writes it back the same): a
map key the engine wrote as `["..."]` (keyPath) is one segment, dots and brackets in it included.
*/
export function splitPath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const match of path.matchAll(/\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]|([^.[\]]+)/g)) {
    if (match[1] !== undefined) parts.push(JSON.parse(match[1]) as string);
    else if (match[2] !== undefined) parts.push(Number(match[2]));
    else if (match[3] !== undefined) parts.push(match[3]);
  }
  return parts;
}

function specJsonSchema(): Record<string, unknown> {
  const {$schema: _ignored, ...schema} = podSpecJsonSchema();
  return {
    anyOf: [schema, {type: 'string', description: 'the pod spec as JSON or YAML text'}],
    description: 'the pod spec (design section 5): an object, or its JSON or YAML text',
  };
}

/** The spec param: input a PodSpec object or text, output a validated PodSpec. */
export const podSpecParam = z
  .unknown()
  .transform((value, ctx) => {
    const result = specIssues(value);
    if ('spec' in result) return result.spec;
    for (const issue of result.issues) {
      ctx.addIssue({
        code: 'custom',
        message: issue.message,
        path: splitPath(issue.path),
        ...(issue.allowed === undefined ? {} : {params: {allowed: issue.allowed}}),
      });
    }
    return z.NEVER;
  })
  .meta(specJsonSchema()) as unknown as z.ZodType<PodSpec, PodSpec | string>;

/** The pod spec as a result (pod.inspect): the engine's masked copy. */
export const podSpecResult = z
  .custom<PodSpec>((value) => typeof value === 'object' && value !== null)
  .meta({
    ...specJsonSchemaObject(),
    description: 'the spec the pod was created with, secret env values masked',
  });

function specJsonSchemaObject(): Record<string, unknown> {
  const {$schema: _ignored, ...schema} = podSpecJsonSchema();
  return schema;
}
