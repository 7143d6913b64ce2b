/**
The pod spec as its infra container records it (masked JSON in the `spec` label), parsed once per infra.
*/
import {LABELS} from '../constants.js';
import type {PodSpec} from '../pod/spec-types.js';
import type {ContainerDetails} from '../runtime/port.js';

function isPodSpec(value: unknown): value is PodSpec {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.name === 'string' && Array.isArray(record.containers);
}

/**
Parsed pod specs by infra id, and the last one seen per pod: when the infra is removed behind the engine's back,
the pod (now failed, its apps still there) keeps the spec it was made from until the pod itself is gone.
*/
export class SpecCache {
  readonly #specs = new Map<string, PodSpec | undefined>();
  readonly #lastByPod = new Map<string, PodSpec>();

  /** The last spec read for pod `name`, even if its infra is gone. */
  lastOf(name: string): PodSpec | undefined {
    return this.#lastByPod.get(name);
  }

  /** Drops pod `name`'s last spec (the pod is gone). */
  forgetPod(name: string): void {
    this.#lastByPod.delete(name);
  }

  /** The spec on `infra`'s label; undefined when there is none or it cannot be read. */
  of(infra: ContainerDetails | undefined): PodSpec | undefined {
    if (infra === undefined) return undefined;
    if (this.#specs.has(infra.id)) return this.#specs.get(infra.id);
    let spec: PodSpec | undefined;
    try {
      const parsed: unknown = JSON.parse(infra.labels[LABELS.spec] ?? '');
      spec = isPodSpec(parsed) ? parsed : undefined;
    } catch {
      spec = undefined;
    }
    this.#specs.set(infra.id, spec);
    if (spec !== undefined) this.#lastByPod.set(spec.name, spec);
    return spec;
  }

  forget(infraId: string): void {
    this.#specs.delete(infraId);
  }
}
