/** Start, stop, restart, kill and remove of pods and containers, one or many (marked rows) at once. */
import type {Engine} from '../../src/index.js';
import {toEngineError} from '../../src/index.js';
import type {Intent, LifecycleOp} from '../model/view-state.js';

export const PAST: Record<LifecycleOp, string> = {
  start: 'started',
  stop: 'stopped',
  restart: 'restarted',
  kill: 'killed',
  remove: 'removed',
};

export const ONGOING: Record<LifecycleOp, string> = {
  start: 'starting',
  stop: 'stopping',
  restart: 'restarting',
  kill: 'killing',
  remove: 'removing',
};

/** Operations that change or end running work: they ask before they run. */
export function isDestructive(op: LifecycleOp): boolean {
  return op !== 'start';
}

/** How a bulk action went: who it changed, who was already so, who failed and why. */
export interface LifecycleOutcome {
  readonly changed: readonly string[];
  readonly unchanged: readonly string[];
  readonly failed: readonly {readonly label: string; readonly message: string}[];
}

async function runOne(engine: Engine, intent: Intent, ref: string): Promise<boolean> {
  if (intent.scope === 'pod') {
    switch (intent.op) {
      case 'start':
        return (await engine.startPod(ref)).changed;
      case 'stop':
        return (await engine.stopPod(ref)).changed;
      case 'restart':
        return (await engine.restartPod(ref)).changed;
      case 'kill':
        return (await engine.killPod(ref)).changed;
      case 'remove':
        return (await engine.removePod(ref, {force: true})).changed;
    }
  }
  switch (intent.op) {
    case 'start':
      return (await engine.startContainer(ref)).changed;
    case 'stop':
      return (await engine.stopContainer(ref)).changed;
    case 'restart':
      return (await engine.restartContainer(ref)).changed;
    case 'kill':
      return (await engine.killContainer(ref)).changed;
    case 'remove':
      return (await engine.removeContainer(ref, {force: true})).changed;
  }
}

/** Runs the intent on every target at once; never throws (failures are in the outcome). */
export async function runLifecycle(engine: Engine, intent: Intent): Promise<LifecycleOutcome> {
  const results = await Promise.allSettled(
    intent.targets.map((target) => runOne(engine, intent, target.ref)),
  );
  const changed: string[] = [];
  const unchanged: string[] = [];
  const failed: {label: string; message: string}[] = [];
  results.forEach((result, i) => {
    const label = intent.targets[i]?.label ?? '?';
    if (result.status === 'rejected') failed.push({label, message: toEngineError(result.reason).message});
    else if (result.value) changed.push(label);
    else unchanged.push(label);
  });
  return {changed, unchanged, failed};
}

/** One line saying how it went. */
export function describeOutcome(intent: Intent, outcome: LifecycleOutcome): string {
  const noun = intent.scope === 'pod' ? 'pod' : 'container';
  const parts: string[] = [];
  if (outcome.changed.length > 0) parts.push(`${PAST[intent.op]} ${noun} ${outcome.changed.join(', ')}`);
  if (outcome.unchanged.length > 0) parts.push(`${outcome.unchanged.join(', ')} already ${PAST[intent.op]}`);
  for (const failure of outcome.failed)
    parts.push(`${intent.op} ${failure.label} failed: ${failure.message}`);
  return parts.join('; ');
}
