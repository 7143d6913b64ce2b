/**
Paths of validation issues, in the shape the whole engine uses: `containers[1].resources.memMB`.
*/

/** `base.key`, or `key` at the root. */
export function fieldPath(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

/** `base[index]`. */
export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** `base["key"]`, for map keys that are not identifiers (`portBindings["80/tcp"]`). */
export function keyPath(base: string, key: string): string {
  return `${base}[${JSON.stringify(key)}]`;
}
