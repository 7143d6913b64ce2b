import type {ExecDetails} from '../port.js';
import {bool, field, num, str} from './json.js';

/** Maps `GET /exec/{id}/json`. `ExitCode` is null while running and briefly after the stream closes. */
export function fromExecInspect(json: unknown): ExecDetails {
  const exitCode = field(json, 'ExitCode');
  const running = bool(json, 'Running');
  return {
    id: str(json, 'ID'),
    running,
    exitCode: typeof exitCode === 'number' && !running ? exitCode : null,
    pid: num(json, 'Pid'),
    containerId: str(json, 'ContainerID'),
  };
}
