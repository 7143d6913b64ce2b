/**
A pod's members as the engine's operations need them, from a snapshot: app ids in spec order with their kill
policies, the infra, and what CNI DEL needs.
*/
import type {StopMember} from '../pod/pod-ops.js';
import {DEFAULT_GRACE_SECONDS} from '../pod/spec/defaults.js';
import type {PodSpec} from '../pod/spec-types.js';
import {appSlots, type PodSnapshot} from './views.js';

/** The kill policy of app `name`: its own, else the pod's, else 10 s. */
export function graceOf(spec: PodSpec | undefined, name: string): number {
  const container = spec?.containers.find((entry) => entry.name === name);
  return container?.killPolicy?.graceSeconds ?? spec?.killPolicy?.graceSeconds ?? DEFAULT_GRACE_SECONDS;
}

/** The existing app containers of a snapshot, in spec order, as stop members. */
export function stopMembers(snapshot: PodSnapshot): StopMember[] {
  return appSlots(snapshot).flatMap((slot) =>
    slot.details === undefined
      ? []
      : [
          {
            id: slot.details.id,
            name: slot.name,
            graceSeconds: graceOf(snapshot.spec, slot.name),
            pid: slot.details.state.pid,
          },
        ],
  );
}

/** Ids of every container of the snapshot, apps first (spec order), the infra last. */
export function allIds(snapshot: PodSnapshot): string[] {
  const apps = appSlots(snapshot).flatMap((slot) => (slot.details === undefined ? [] : [slot.details.id]));
  return snapshot.infra === undefined ? apps : [...apps, snapshot.infra.id];
}
