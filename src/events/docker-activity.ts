/**
What Docker reported, as entries of the engine's activity log: exits, OOM kills, removals, starts and signals.
*/
import type {RuntimeEvent} from '../runtime/port.js';
import type {ActivityLog} from './activity-log.js';

/** Adds the entry for one container event of a pod member (nothing for the actions not worth a line). */
export function reportDocker(
  activity: ActivityLog,
  event: RuntimeEvent,
  pod: string,
  container: string,
): void {
  const where = `${pod}/${container}`;
  const {attributes} = event;
  let message: string | undefined;
  let level: 'info' | 'warn' | 'error' = 'info';
  switch (event.action) {
    case 'die': {
      const code = attributes.exitCode ?? '?';
      message = `${where} exited with ${code}`;
      if (code !== '0') level = 'warn';
      break;
    }
    case 'oom':
      message = `${where} ran out of memory (OOM kill)`;
      level = 'error';
      break;
    case 'destroy':
      message = `${where} was removed`;
      break;
    case 'start':
      message = `${where} started`;
      break;
    case 'kill':
      message = `${where} got signal ${attributes.signal ?? '?'}`;
      break;
    default:
      return;
  }
  activity.add({level, source: 'docker', pod, container, message});
}
