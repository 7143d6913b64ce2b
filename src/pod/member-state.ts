/**
A container's Docker state in the shape status derivation reads (MemberState), from an inspect.
*/
import type {ContainerDetails} from '../runtime/port.js';
import {isZeroTime, type MemberState} from './derive-status.js';

/** The state of an inspected container. */
export function memberState(details: ContainerDetails): MemberState {
  const {state} = details;
  const policy = details.host.restartPolicy?.name;
  return {
    status: state.status,
    exitCode: state.exitCode,
    oomKilled: state.oomKilled,
    started: !isZeroTime(state.startedAt),
    finishedAt: state.finishedAt,
    ...(policy === undefined ? {} : {restartPolicy: policy}),
  };
}

/** A container that does not exist. */
export function missingMember(): MemberState {
  return {status: 'missing', exitCode: 0, oomKilled: false, started: false, finishedAt: ''};
}
