/**
The crash rule (docs/pods.md, "Creation, rollback and crashes"). A process killed mid-create leaves a pod that
is **incomplete**: fewer app containers than the infra's `containers` label says, or (unless it was created
with `start: false`) an infra or app container that never started. Such a pod is **rolled back** (removed, CNI
DEL included) when its creator process is gone (same host: no process with the label's pid and start time)
or when the pod is older than 10 minutes; while its creator is alive and it is younger, it is left alone,
since another process is still building it. Rolled back rather than finished: the client that asked never got
an answer and will retry (create is idempotent by name through apply), while finishing could fail for reasons
nobody watches and would start containers nobody waits for.
*/
import {creatorLiveness, type CreatorId} from '../pod/creator.js';
import {isZeroTime} from '../pod/derive-status.js';
import {readCreationLabels} from '../pod/labels.js';
import type {PodSnapshot} from './views.js';

/** Past this age an incomplete pod is rolled back whoever created it. */
export const HALF_CREATED_MAX_AGE_MS = 10 * 60 * 1000;

/** Why the pod is incomplete, or undefined when it is not (or has no infra to tell). */
export function incompleteReason(snapshot: PodSnapshot): string | undefined {
  const {infra} = snapshot;
  if (infra === undefined) return undefined;
  const labels = readCreationLabels(infra.labels);
  if (labels.containers >= 0 && snapshot.apps.length < labels.containers) {
    return `${snapshot.apps.length} of ${labels.containers} app containers exist`;
  }
  if (!labels.autostart) return undefined;
  if (isZeroTime(infra.state.startedAt)) return 'the infra container never started';
  const idle = snapshot.apps.find((app) => isZeroTime(app.state.startedAt));
  return idle === undefined ? undefined : `container ${idle.name} never started`;
}

/** Whether to roll a pod back, and why (or why not). */
export interface RollbackDecision {
  readonly rollback: boolean;
  readonly reason: string;
}

/** Applies the rule to one pod at time `now` (ms); `isAlive` is injectable for tests. */
export function halfCreatedDecision(
  snapshot: PodSnapshot,
  now: number,
  isAlive?: (id: CreatorId) => boolean,
): RollbackDecision {
  const incomplete = incompleteReason(snapshot);
  if (incomplete === undefined || snapshot.infra === undefined) return {rollback: false, reason: ''};
  const {creator, createdAt} = readCreationLabels(snapshot.infra.labels);
  const liveness = creatorLiveness(creator, isAlive);
  if (liveness === 'gone')
    return {rollback: true, reason: `${incomplete}, and its creator ${creator} is gone`};
  if (now - createdAt > HALF_CREATED_MAX_AGE_MS) {
    return {
      rollback: true,
      reason: `${incomplete}, and it is older than ${HALF_CREATED_MAX_AGE_MS / 60_000} minutes`,
    };
  }
  return {rollback: false, reason: `${incomplete}; its creator ${creator} may still be building it`};
}
