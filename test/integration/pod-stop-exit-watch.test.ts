/**
The head start of a pod's stop, on the real dockerd: a member's main process is seen from /proc, so the next
member's stop follows its exit rather than Docker's answer. It must hold here, or the engine silently falls
back to the slow path and the benchmark, not a test, would be the only one to notice.
*/
import test from 'ava';
import {processExited, watchable} from '../../src/container/process-exit.js';
import {realRuntime} from '../support/docker.js';
import {app, cleanUpRealEngines, podName, podSpec, realEngine} from '../support/pod-helpers.js';

test.after.always(cleanUpRealEngines);

test("a pod member's main process is watchable from /proc, and gone once the pod stopped", async (t) => {
  const engine = await realEngine();
  const name = podName('watch');
  const {pod} = await engine.createPod(podSpec(name, [app('a', 'trap "exit 0" TERM; sleep 3600 & wait')]), {
    wait: 'running',
  });
  const id = pod.containers[0]?.id ?? '';
  const {pid} = (await (await realRuntime()).inspectContainer(id)).state;
  t.true(watchable(pid, id), `pid ${pid} of ${id}`);
  t.false(processExited(pid));
  const {pod: stopped} = await engine.stopPod(name);
  t.is(stopped.status, 'killed');
  t.false(watchable(pid, id), 'no process of that container any more');
});
