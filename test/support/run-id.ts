/**
One id per test process, put on every Docker object a test creates (`LABELS.testRun`), so the process can
remove exactly its own objects afterwards and never prune globally.
*/
import {randomBytes} from 'node:crypto';
import {setMaxListeners} from 'node:events';
import {LABELS} from '../../src/constants.js';
import {isEngineError} from '../../src/errors.js';
import type {ContainerRuntime} from '../../src/runtime/port.js';

/** This process's run id: pid, start time and a few random bytes (unique across parallel ava workers). */
export const runId = `${process.pid.toString(36)}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

/** The label filter (`key=value`) matching everything this run created. */
export const runLabelFilter = `${LABELS.testRun}=${runId}`;

/** Labels for a test object: the run label plus any extra ones. */
export function testLabels(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {[LABELS.testRun]: runId, ...extra};
}

/** A name unique to this run, for containers and networks (Docker names allow `[a-zA-Z0-9][a-zA-Z0-9_.-]+`). */
export function uniqueName(prefix: string): string {
  uniqueCounter++;
  return `${prefix}-${runId}-${uniqueCounter.toString(36)}`;
}
let uniqueCounter = 0;

/**
Removes containers, forced, all at once. Podman refuses to remove a container that others join (a pod's infra
while its apps exist: INVALID_STATE), so those wait for a second round after the rest are gone.
*/
async function removeContainers(
  runtime: ContainerRuntime,
  containers: readonly {readonly id: string}[],
  signal: AbortSignal,
  attempt: (work: () => Promise<unknown>) => Promise<void>,
): Promise<void> {
  const blocked: string[] = [];
  await Promise.all(
    containers.map((c) =>
      attempt(() =>
        runtime.removeContainer(c.id, {force: true, signal}).catch((error: unknown) => {
          if (!(isEngineError(error) && error.code === 'INVALID_STATE')) throw error;
          blocked.push(c.id);
        }),
      ),
    ),
  );
  for (const id of blocked) await attempt(() => runtime.removeContainer(id, {force: true, signal}));
}

/**
Removes every container (forced) and network, then every labelled image, that carries this run's label.
Missing objects are fine (a test may have removed them); other failures are collected and thrown at the end
so one stuck object does not leave the rest behind.
*/
export async function removeByRunId(
  runtime: ContainerRuntime,
  options: {readonly signal?: AbortSignal} = {},
): Promise<{readonly containers: number; readonly networks: number; readonly images: number}> {
  const signal = options.signal ?? AbortSignal.timeout(60_000);
  // One signal serves every removal below, all in flight at once.
  setMaxListeners(0, signal);
  const failures: unknown[] = [];
  const attempt = async (work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      if (!(isEngineError(error) && error.code === 'NOT_FOUND')) failures.push(error);
    }
  };

  const containers = await runtime.listContainers({all: true, labels: [runLabelFilter], signal});
  await removeContainers(runtime, containers, signal, attempt);
  const networks = await runtime.listNetworks({labels: [runLabelFilter], signal});
  await Promise.all(networks.map((n) => attempt(() => runtime.removeNetwork(n.id, {signal}))));
  const images = await runtime.listImages({labels: [runLabelFilter], signal});
  for (const image of images) await attempt(() => runtime.removeImage(image.id, {force: true, signal}));

  if (failures.length > 0) {
    throw new AggregateError(
      failures,
      `removing the objects of test run ${runId} failed ${failures.length} time(s)`,
    );
  }
  return {containers: containers.length, networks: networks.length, images: images.length};
}
