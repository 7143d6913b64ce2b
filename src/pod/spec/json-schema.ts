/**
The pod spec as a JSON Schema (draft 2020-12), for the rpc face's `rpc.discover` and for editors. It describes
the accepted input (shapes, types, ranges, enums, patterns, with what is allowed in each `description`); rules
across fields and the task rules are checked by validatePodSpec only.
*/
import {z} from 'zod';
import {podSpecSchema} from './schema.js';

let cached: Readonly<Record<string, unknown>> | undefined;

/** The JSON Schema of a pod spec's input. Built once; callers must not modify it. */
export function podSpecJsonSchema(): Readonly<Record<string, unknown>> {
  cached ??= z.toJSONSchema(podSpecSchema, {io: 'input', unrepresentable: 'any'}) as Record<string, unknown>;
  return cached;
}
