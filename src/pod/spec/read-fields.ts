/**
Reads an object field by field with a table of schemas, so that every problem is reported and the fields that
are fine stay usable for the rules that come after (cross-field rules, the task validator). A list with bad
entries keeps its good ones, with a map back to their positions in the spec.
*/
import {z} from 'zod';
import type {ValidationIssue} from '../../errors.js';
import {fieldPath} from '../../task/issue-path.js';
import {unknownFieldIssues} from '../../task/unknown-fields.js';
import {checkWith} from './zod-issues.js';

/** What a read kept: the good fields, for lists that lost entries the spec index of each kept entry, and what failed. */
export interface ReadResult<T> {
  readonly value: Partial<T>;
  readonly indexMaps: Readonly<Partial<Record<keyof T, readonly number[]>>>;
  /** Fields present in the input that had problems (a list that lost entries counts). */
  readonly failed: ReadonlySet<keyof T>;
}

/** A reader for one field that does its own checking (the health check, which has its own validator). */
export type CustomReader = (
  raw: unknown,
  path: string,
) => {readonly value?: unknown; readonly issues: ValidationIssue[]};

export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
`raw` without the fields its issues point at, when each issue points at a field of a map inside it: a port
with a bad hostIP is still checked for everything else. Undefined when nothing can be taken out that way.
*/
function withoutBadFields(raw: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  if (!isPlainObject(raw)) return undefined;
  const copy: unknown = structuredClone(raw);
  for (const issue of issues) {
    const last = issue.code === 'unrecognized_keys' ? undefined : issue.path.at(-1);
    if (typeof last !== 'string') return undefined;
    let parent: unknown = copy;
    for (const segment of issue.path.slice(0, -1)) {
      parent =
        isPlainObject(parent) || Array.isArray(parent)
          ? (parent as Record<PropertyKey, unknown>)[segment]
          : undefined;
    }
    if (!isPlainObject(parent)) return undefined;
    Reflect.deleteProperty(parent, last);
  }
  return copy;
}

/** `raw` checked by `schema`, or what is left of it once its bad optional fields are taken out; undefined if neither passes. */
function salvage(schema: z.core.$ZodType, raw: unknown): {value: unknown} | undefined {
  const first = z.safeParse(schema, raw);
  if (first.success) return {value: first.data};
  const reduced = withoutBadFields(raw, first.error.issues);
  if (reduced === undefined) return undefined;
  const second = z.safeParse(schema, reduced);
  return second.success ? {value: second.data} : undefined;
}

/** The usable entries of a list whose whole check failed, each salvaged alone, with their indices. */
function goodEntries(schema: z.ZodArray, raw: readonly unknown[]): {values: unknown[]; indices: number[]} {
  const values: unknown[] = [];
  const indices: number[] = [];
  raw.forEach((entry, index) => {
    const kept = salvage(schema.element, entry);
    if (kept === undefined) return;
    values.push(kept.value);
    indices.push(index);
  });
  return {values, indices};
}

export interface ReadOptions<T> {
  /** Fields that must be present. */
  readonly required?: readonly (keyof T)[];
  /** Readers that replace the schema of their field. */
  readonly custom?: Partial<Record<keyof T, CustomReader>>;
  /** Map fields whose good parts are kept when some of their optional fields are bad (lists always are). */
  readonly salvage?: readonly (keyof T)[];
}

/**
Reads `raw` (at `path`) as an object with the fields of `schemas`: an issue per unknown field, per missing
`required` field, and per problem of each present field. `custom` readers replace the schema of their field.
Returns undefined (with one issue) when `raw` is not an object at all.
*/
export function readFields<T extends object>(
  raw: unknown,
  schemas: Readonly<Record<keyof T & string, z.ZodType>>,
  path: string,
  issues: ValidationIssue[],
  options: ReadOptions<T> = {},
): ReadResult<T> | undefined {
  const keys = Object.keys(schemas) as (keyof T & string)[];
  if (!isPlainObject(raw)) {
    issues.push({
      path,
      message: `must be a map, not ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}`,
    });
    return undefined;
  }
  issues.push(...unknownFieldIssues(raw, keys, path));
  const value: Partial<Record<keyof T, unknown>> = {};
  const indexMaps: Partial<Record<keyof T, readonly number[]>> = {};
  const failed = new Set<keyof T>();
  for (const key of keys) {
    const fieldRaw = raw[key];
    const at = fieldPath(path, key);
    if (fieldRaw === undefined) {
      if (options.required?.includes(key) === true) issues.push({path: at, message: 'is required'});
      continue;
    }
    const custom = options.custom?.[key];
    if (custom !== undefined) {
      const result = custom(fieldRaw, at);
      issues.push(...result.issues);
      if (result.value !== undefined) value[key] = result.value;
      if (result.issues.length > 0) failed.add(key);
      continue;
    }
    const schema = schemas[key];
    const checked = checkWith(schema, fieldRaw, at);
    if (checked.ok) {
      value[key] = checked.value;
      continue;
    }
    issues.push(...checked.issues);
    failed.add(key);
    if (schema instanceof z.ZodArray && Array.isArray(fieldRaw)) {
      const good = goodEntries(schema, fieldRaw);
      value[key] = good.values;
      indexMaps[key] = good.indices;
    } else if (options.salvage?.includes(key) === true) {
      const kept = salvage(schema, fieldRaw);
      if (kept !== undefined) value[key] = kept.value;
    }
  }
  // Each kept value passed the schema of its field, and FieldSchemas ties each schema's output to T[K].
  return {value: value as Partial<T>, indexMaps, failed};
}
