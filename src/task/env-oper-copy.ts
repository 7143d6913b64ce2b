/**
The seed's `EnvOperCopy` (seed-spec §3) and the last-wins de-duplication a rebuild adds (§1.8).
*/
import type {BcsKV} from './types.js';

/**
Replaces every env value that starts with `$` by the value of the variable it names, in place, exactly as the
seed: the key is everything after the `$`, taken whole (no `${}`, no stop at `/`); lookups read a snapshot taken
before any replacement, in which the last duplicate wins; one pass, no recursion; an unknown key stays literal.

Pods call it once per task, after `BCS_CONTAINER_IP` is appended and before extended-resource variables are.
*/
export function envOperCopy(task: {readonly env?: BcsKV[] | undefined}): void {
  const env = task.env;
  if (env === undefined) return;
  const snapshot = new Map<string, string>();
  for (const entry of env) snapshot.set(entry.key, entry.value);
  for (const entry of env) {
    if (!entry.value.startsWith('$')) continue;
    const value = snapshot.get(entry.value.slice(1));
    if (value !== undefined) entry.value = value;
  }
}

/**
Drops all but the last occurrence of each key, keeping that last occurrence where it stands. The seed sent
duplicates to Docker, where which one a program saw depended on the image env and on its libc (§1.8); last-wins
is what the env list reads as.
*/
export function dedupeEnv(env: readonly BcsKV[]): BcsKV[] {
  const lastIndex = new Map<string, number>();
  env.forEach((entry, index) => lastIndex.set(entry.key, index));
  return env.filter((entry, index) => lastIndex.get(entry.key) === index);
}
