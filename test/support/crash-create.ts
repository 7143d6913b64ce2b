/**
A child process for the crash test: it creates a pod and SIGKILLs itself in the middle of the create, when the
create reports `starting <container>`. Usage:
  node --import=tsx test/support/crash-create.ts <pod name> <test run id> <container to die before>
*/
import {LABELS, LOCAL_IMAGES} from '../../src/constants.js';
import {createEngine} from '../../src/engine/create-engine.js';
import {realRuntime} from './docker.js';

const [name = '', run = '', dieBefore = ''] = process.argv.slice(2);
const engine = createEngine({runtime: await realRuntime()});
await engine.createPod(
  {
    name,
    labels: {[LABELS.testRun]: run},
    killPolicy: {graceSeconds: 1},
    containers: ['a', 'b', 'c'].map((container) => ({
      name: container,
      image: LOCAL_IMAGES.demo,
      command: 'sleep',
      args: ['3600'],
    })),
  },
  {
    onProgress: (progress) => {
      // The pod is half made now: some apps started, the rest created and never started.
      if (progress.step === 'start' && progress.message === `starting ${dieBefore}`)
        process.kill(process.pid, 'SIGKILL');
    },
  },
);
// Reaching this line means the kill point was never reported: the parent test fails on the exit code.
process.exit(3);
