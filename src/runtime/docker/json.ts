/**
Narrowing helpers for Docker's JSON. Responses stay `unknown` until one of these reads a field, so a missing
or mistyped field becomes a default (Docker omits zero values freely) instead of a crash or an `any`.
*/

/** A JSON object, or an empty one when the value is anything else. */
export type JsonObject = Readonly<Record<string, unknown>>;

const EMPTY: JsonObject = Object.freeze({});

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** The object at `key`, or `{}`. */
export function obj(source: unknown, key: string): JsonObject {
  if (!isObject(source)) return EMPTY;
  const value = source[key];
  return isObject(value) ? value : EMPTY;
}

/** The object itself, or `{}`. */
export function asObject(value: unknown): JsonObject {
  return isObject(value) ? value : EMPTY;
}

export function field(source: unknown, key: string): unknown {
  return isObject(source) ? source[key] : undefined;
}

export function str(source: unknown, key: string, fallback = ''): string {
  const value = field(source, key);
  return typeof value === 'string' ? value : fallback;
}

/** A string field, or undefined when absent (for fields whose absence means something). */
export function optStr(source: unknown, key: string): string | undefined {
  const value = field(source, key);
  return typeof value === 'string' ? value : undefined;
}

export function num(source: unknown, key: string, fallback = 0): number {
  const value = field(source, key);
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function optNum(source: unknown, key: string): number | undefined {
  const value = field(source, key);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function bool(source: unknown, key: string, fallback = false): boolean {
  const value = field(source, key);
  return typeof value === 'boolean' ? value : fallback;
}

export function optBool(source: unknown, key: string): boolean | undefined {
  const value = field(source, key);
  return typeof value === 'boolean' ? value : undefined;
}

/** The array at `key` (Docker sends `null` for empty lists), or `[]`. */
export function arr(source: unknown, key: string): readonly unknown[] {
  const value = field(source, key);
  return Array.isArray(value) ? (value as readonly unknown[]) : [];
}

/** The string elements of the array at `key`. A bare string (old `Entrypoint` form) becomes one element. */
export function strList(source: unknown, key: string): readonly string[] {
  const value = field(source, key);
  if (typeof value === 'string') return [value];
  return arr(source, key).filter((item): item is string => typeof item === 'string');
}

/** A `{string: string}` map (labels), dropping non-string values. */
export function strMap(source: unknown, key: string): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(obj(source, key))) {
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** The keys of the object at `key` (ExposedPorts is `{"80/tcp": {}}`). */
export function keysOf(source: unknown, key: string): readonly string[] {
  return Object.keys(obj(source, key));
}

/**
Drops the keys whose value is undefined. Used to build results with optional fields under
`exactOptionalPropertyTypes`, where `{x: undefined}` is not an absent `x`.
*/
export function compact<T extends Record<string, unknown>>(value: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    if (item !== undefined) out[name] = item;
  }
  return out as Compact<T>;
}

/** `T` with every `X | undefined` property made optional `X`. */
export type Compact<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
} & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};
