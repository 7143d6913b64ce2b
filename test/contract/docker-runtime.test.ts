/**
The runtime contract against the real engine: dockerd by default, or whatever `BCS_TEST_DOCKER_HOST` names
(podman's socket, a remote tcp:// daemon). Fails, never skips, when no engine answers.
*/
import {ensureTestImage, realRuntime} from '../support/docker.js';
import {removeByRunId} from '../support/run-id.js';
import {runtimeContract} from './runtime-contract.js';

runtimeContract('docker', async () => {
  const runtime = await realRuntime();
  const imageRef = await ensureTestImage(runtime);
  return {
    runtime,
    imageRef,
    cleanup: async () => {
      await removeByRunId(runtime);
    },
  };
});
