/**
CreateContainer with the fixes of seed-spec §8.5 and §8.14: validation before any Docker call, the image
found by exact reference (pulled when absent or forced), and the full inspected state returned (the seed
returned only the id and the name).
*/
import {LABELS} from '../constants.js';
import {validationError, type ValidationIssue} from '../errors.js';
import type {ContainerRuntime} from '../runtime/port.js';
import {inspectToBcsInfo} from '../task/from-inspect.js';
import {taskToCreateSpec} from '../task/to-create-spec.js';
import type {BcsContainerInfo, BcsContainerTask} from '../task/types.js';
import {validateTask} from '../task/validate.js';
import {ensureImage, type ImageCallOptions} from './images.js';

/** The value of `LABELS.managed` on containers this layer creates: the engine's label schema version. */
export const MANAGED_LABEL_VALUE = '1';

/** Docker's container name rule; a leading `/` is Docker's own spelling and accepted. */
const CONTAINER_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

function containerNameIssues(name: string): ValidationIssue[] {
  if (CONTAINER_NAME.test(name)) return [];
  return [
    {
      path: 'containerName',
      message: name === '' ? 'the container name is empty' : `"${name}" is not a valid container name`,
      allowed: '[a-zA-Z0-9][a-zA-Z0-9_.-]+ (at least 2 characters)',
    },
  ];
}

/**
Creates container `name` from `task`. In order: validation (every problem listed; nothing is created when
there is one), the mapping (which refuses what it cannot express), the image (present by exact reference,
else pulled), the create, one inspect. The task is mapped as given: `envOperCopy` belongs to the caller, who
knows the whole environment (the pod adds its own variables first). The container carries `LABELS.managed`
unless the task sets it. A taken name is ALREADY_EXISTS; an image that cannot be pulled IMAGE_PULL_FAILED.
*/
export async function createFromTask(
  runtime: ContainerRuntime,
  name: string,
  task: BcsContainerTask,
  options: ImageCallOptions = {},
): Promise<BcsContainerInfo> {
  const issues = [...containerNameIssues(name), ...validateTask(task)];
  if (issues.length > 0) throw validationError(issues, 'container task');
  const spec = taskToCreateSpec(name, task);
  const reference = await ensureImage(runtime, task.image, {...options, force: task.forcePullImage === true});
  const callOptions = options.signal === undefined ? {} : {signal: options.signal};
  const {id} = await runtime.createContainer(
    {...spec, image: reference.familiar, labels: {[LABELS.managed]: MANAGED_LABEL_VALUE, ...spec.labels}},
    callOptions,
  );
  return inspectToBcsInfo(await runtime.inspectContainer(id, callOptions));
}
