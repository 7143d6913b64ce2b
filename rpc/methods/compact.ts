/**
Drops undefined fields, so parsed params (optional fields absent) can be spread into engine options under
exactOptionalPropertyTypes.
*/
export type Compact<T> = {[K in keyof T]?: Exclude<T[K], undefined>};

export function compact<T extends Record<string, unknown>>(record: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return out as Compact<T>;
}
