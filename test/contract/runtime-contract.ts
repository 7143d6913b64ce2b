/**
The runtime contract: ava tests that hold for every ContainerRuntime. `fake-runtime.test.ts` runs them
against the in-memory fake (unit suite), `docker-runtime.test.ts` against the real engine (integration), so
the fake cannot drift from Docker wherever a test can tell.

`make` is called once per file; every test labels what it creates with the run label and its own case
label, so tests run concurrently against one engine and `cleanup` (after all tests) removes the rest.
*/
import test from 'ava';
import {containerContract} from './contract-containers.js';
import {execFilesContract} from './contract-exec-files.js';
import type {ContractSubject, MakeSubject} from './contract-helpers.js';
import {imagesNetworksContract} from './contract-images-networks.js';
import {streamsContract} from './contract-streams.js';

export type {ContractSubject} from './contract-helpers.js';

/** Registers the whole contract for one runtime. */
export function runtimeContract(name: string, make: () => Promise<ContractSubject>): void {
  let pending: Promise<ContractSubject> | undefined;
  const subject: MakeSubject = () => (pending ??= make());

  test.after.always(`${name}: clean up`, async () => {
    if (pending === undefined) return;
    // A maker that failed (no engine) already failed every test; there is nothing to clean.
    const made = await pending.catch(() => undefined);
    await made?.cleanup();
  });

  containerContract(name, subject);
  execFilesContract(name, subject);
  streamsContract(name, subject);
  imagesNetworksContract(name, subject);
}
