/**
Which env values of a pod member are secret: those the pod's spec marks (and `$KEY` copies of them), and those
the container itself recorded at create (its `secret-env` label), so the answer survives the spec being
unknown to this process (an infra removed before it started). Nothing known: undefined, and callers that show
values hide them all.
*/
import {readSecretEnvLabel} from '../pod/labels.js';
import {secretEnvKeys} from '../pod/spec/to-tasks.js';
import type {PodSpec} from '../pod/spec-types.js';

export function secretKeysOf(
  spec: PodSpec | undefined,
  labels: Readonly<Record<string, string>>,
): ReadonlySet<string> | undefined {
  const recorded = readSecretEnvLabel(labels);
  if (spec === undefined) return recorded;
  const fromSpec = secretEnvKeys(spec);
  return recorded === undefined ? fromSpec : new Set([...fromSpec, ...recorded]);
}
