/** Contract: identity, images (inspect, list, pull, tag, remove, commit) and networks. */
import test from 'ava';
import type {ProgressEvent} from '../../src/runtime/port.js';
import {runLabelFilter} from '../support/run-id.js';
import {deadline, newCase, rejectsWith, spec, startSleeper, type MakeSubject} from './contract-helpers.js';

/** A reference no registry can serve: the registry is 127.0.0.1:9 (discard port, nothing listens). */
const ABSENT_REF = '127.0.0.1:9/bcs-executor-test/absent:none';

export function imagesNetworksContract(name: string, subject: MakeSubject): void {
  test(`${name}: ping, version and info describe the engine`, async (t) => {
    const s = await subject();
    const {apiVersion} = await s.runtime.ping();
    t.regex(apiVersion, /^1\.\d+$/);
    const version = await s.runtime.version();
    t.is(version.apiVersion, apiVersion);
    t.true(['docker', 'podman'].includes(version.flavor));
    t.is(version.os, 'linux');
    const info = await s.runtime.info();
    t.true(info.ncpu >= 1);
    t.true(info.memTotal > 0);
    t.truthy(s.runtime.endpoint);
  });

  test(`${name}: inspectImage of an absent reference is null; of the test image it has an id`, async (t) => {
    const s = await subject();
    t.is(await s.runtime.inspectImage('bcs-executor-test/absent:never'), null);
    const image = await s.runtime.inspectImage(s.imageRef);
    t.truthy(image);
    t.regex(image?.id ?? '', /^sha256:[0-9a-f]{64}$/);
    t.true(image?.repoTags.includes(s.imageRef));
    t.is(image?.os, 'linux');
    // Exact resolution: a short id prefix resolves too, the repository alone (no such :latest) does not.
    t.is((await s.runtime.inspectImage(image?.id.slice(7, 19) ?? ''))?.id, image?.id);
    const listed = await s.runtime.listImages({reference: s.imageRef});
    t.deepEqual(
      listed.map((x) => x.id),
      [image?.id],
    );
  });

  test(`${name}: pull of an image no registry has is IMAGE_PULL_FAILED naming the image`, async (t) => {
    const s = await subject();
    const progress: ProgressEvent[] = [];
    const error = await rejectsWith(
      t,
      s.runtime.pullImage(ABSENT_REF, {signal: deadline(), onProgress: (event) => progress.push(event)}),
      'IMAGE_PULL_FAILED',
    );
    t.is(error.details['ref'], ABSENT_REF);
    t.true(error.message.includes(ABSENT_REF));
    t.is(typeof error.details['engineMessage'], 'string');
  });

  test(`${name}: tag, then remove the tag; removing it again answers changed:false`, async (t) => {
    const s = await subject();
    const c = newCase();
    const target = `bcs-executor-test/tagged-${c.name('t').toLowerCase()}:v1`;
    await s.runtime.tagImage(s.imageRef, target);
    try {
      const tagged = await s.runtime.inspectImage(target);
      t.is(tagged?.id, (await s.runtime.inspectImage(s.imageRef))?.id);
    } finally {
      t.deepEqual(await s.runtime.removeImage(target), {changed: true});
    }
    t.deepEqual(await s.runtime.removeImage(target), {changed: false});
    t.truthy(await s.runtime.inspectImage(s.imageRef), 'untagging left the image itself alone');
    await rejectsWith(t, s.runtime.tagImage('bcs-executor-test/absent:never', target), 'NOT_FOUND');
  });

  test(`${name}: commit makes an image of a container`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels);
    const repo = `bcs-executor-test/commit-${c.name('c').toLowerCase()}`;
    const {imageId} = await s.runtime.commitContainer(id, {repo, tag: 'v1', comment: 'contract'});
    try {
      t.regex(imageId, /^sha256:/);
      t.is((await s.runtime.inspectImage(`${repo}:v1`))?.id, imageId);
    } finally {
      await s.runtime.removeContainer(id, {force: true});
      await s.runtime.removeImage(imageId, {force: true});
    }
  });

  test(`${name}: commit changes: ENV KEY="" empties a value in the image, the other env is kept`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels, {env: ['SECRET=hunter2', 'PLAIN=kept']});
    const repo = `bcs-executor-test/commit-env-${c.name('c').toLowerCase()}`;
    const {imageId} = await s.runtime.commitContainer(id, {repo, tag: 'v1', changes: ['ENV SECRET=""']});
    try {
      const env = (await s.runtime.inspectImage(imageId))?.config.env ?? [];
      t.true(env.includes('SECRET='), JSON.stringify(env));
      t.true(env.includes('PLAIN=kept'), JSON.stringify(env));
      t.false(JSON.stringify(env).includes('hunter2'));
    } finally {
      await s.runtime.removeContainer(id, {force: true});
      await s.runtime.removeImage(imageId, {force: true});
    }
  });

  test(`${name}: networks: create, duplicate, inspect, list by label, remove twice`, async (t) => {
    const s = await subject();
    const c = newCase();
    const networkName = c.name('net');
    const {id} = await s.runtime.createNetwork({name: networkName, labels: c.labels});
    t.truthy(id);
    await rejectsWith(t, s.runtime.createNetwork({name: networkName, labels: c.labels}), 'ALREADY_EXISTS');

    const details = await s.runtime.inspectNetwork(networkName);
    t.is(details.id, id);
    t.is(details.name, networkName);
    t.is(details.driver, 'bridge');
    t.like(details.labels, c.labels);
    t.is(details.subnets.length, 1);

    const listed = await s.runtime.listNetworks({labels: [c.filter, runLabelFilter]});
    t.deepEqual(
      listed.map((n) => n.id),
      [id],
    );

    const member = await startSleeper(s, c.labels, {host: {networkMode: networkName}});
    const attached = await s.runtime.inspectNetwork(id);
    t.regex(attached.containers[member]?.ipv4Address ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    const memberDetails = await s.runtime.inspectContainer(member);
    // Podman 4.3 puts the network's name where Docker puts its id (the engine reads neither).
    const podman = (await s.runtime.version()).flavor === 'podman';
    t.is(memberDetails.network.networks[networkName]?.networkId, podman ? networkName : id);
    t.is(memberDetails.network.networks[networkName]?.ipAddress, attached.containers[member]?.ipv4Address);
    await s.runtime.removeContainer(member, {force: true});

    t.deepEqual(await s.runtime.removeNetwork(id), {changed: true});
    t.deepEqual(await s.runtime.removeNetwork(id), {changed: false});
    await rejectsWith(t, s.runtime.inspectNetwork(id), 'NOT_FOUND');
  });

  test(`${name}: a container on a bridge network gets an address; host mode gets none`, async (t) => {
    const s = await subject();
    const c = newCase();
    const bridged = await startSleeper(s, c.labels, {host: {networkMode: 'bridge'}});
    const details = await s.runtime.inspectContainer(bridged);
    t.is(details.host.networkMode, 'bridge');
    t.regex(details.network.networks['bridge']?.ipAddress ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    const {id: hosted} = await s.runtime.createContainer(
      spec(s.imageRef, c.labels, ['sleep', '300'], {host: {networkMode: 'host'}}),
    );
    const hostDetails = await s.runtime.inspectContainer(hosted);
    t.is(hostDetails.host.networkMode, 'host');
    t.is(hostDetails.network.networks['host']?.ipAddress ?? '', '');
  });
}
