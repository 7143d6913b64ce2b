/** The runtime contract against the in-memory FakeRuntime (part of the fast unit suite). */
import {FakeRuntime} from '../support/fake-runtime.js';
import {TEST_BUSYBOX_IMAGE} from '../support/docker.js';
import {runtimeContract} from './runtime-contract.js';

runtimeContract('fake', () => {
  const runtime = new FakeRuntime({images: [TEST_BUSYBOX_IMAGE], statsIntervalMs: 50});
  // Nothing outlives the process: the fake's state is garbage once the file's tests are done.
  return Promise.resolve({runtime, imageRef: TEST_BUSYBOX_IMAGE, cleanup: () => Promise.resolve()});
});
