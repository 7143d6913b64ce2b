import {chmod, mkdir, mkdtemp, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Readable} from 'node:stream';
import test from 'ava';
import {extract} from 'tar-stream';
import {DockerContainer} from '../../src/container/docker-container.js';
import {contentTar, hostPathTar, uploadTarget} from '../../src/container/upload.js';
import {EngineError} from '../../src/errors.js';
import {stubRuntime} from '../support/container-helpers.js';

interface Entry {
  readonly name: string;
  readonly type: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly content: string;
}

async function entries(source: Buffer | Readable): Promise<Entry[]> {
  const tar = Buffer.isBuffer(source) ? source : Buffer.concat(await source.toArray());
  const found: Entry[] = [];
  const reader = extract();
  const done = new Promise<void>((resolve, reject) => {
    reader.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
      stream.on('end', () => {
        found.push({
          name: header.name,
          type: header.type ?? 'file',
          mode: (header.mode ?? 0) & 0o7777,
          uid: header.uid ?? -1,
          gid: header.gid ?? -1,
          content: Buffer.concat(chunks).toString('utf8'),
        });
        next();
      });
    });
    reader.on('finish', resolve);
    reader.on('error', reject);
  });
  reader.end(tar);
  await done;
  return found;
}

async function scratch(t: {teardown: (fn: () => Promise<void>) => void}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bcs-upload-'));
  t.teardown(() => rm(dir, {recursive: true, force: true}));
  return dir;
}

test('uploadTarget splits dest into the directory to extract into and the entry name', (t) => {
  t.deepEqual(uploadTarget('/etc/app.conf'), {parent: '/etc', base: 'app.conf'});
  t.deepEqual(uploadTarget('/srv/site/'), {parent: '/srv', base: 'site'});
  t.deepEqual(uploadTarget('/a//b/../c'), {parent: '/a', base: 'c'});
  t.deepEqual(uploadTarget('/top'), {parent: '/', base: 'top'});
});

test('a relative or root dest, or bad ids, are VALIDATION', (t) => {
  for (const dest of ['etc/app.conf', '/', '']) {
    t.is(t.throws(() => uploadTarget(dest), {instanceOf: EngineError})?.code, 'VALIDATION');
  }
  t.is(t.throws(() => uploadTarget('/x', {uid: -1}), {instanceOf: EngineError})?.code, 'VALIDATION');
  t.is(t.throws(() => uploadTarget('/x', {mode: 0o10000}), {instanceOf: EngineError})?.code, 'VALIDATION');
});

test('a host file becomes one entry named after dest, with its mode and owner (seed case 34)', async (t) => {
  const dir = await scratch(t);
  const source = join(dir, 'whatever-name.txt');
  await writeFile(source, 'hello\n');
  await chmod(source, 0o640);
  const [entry, ...rest] = await entries(await hostPathTar(source, 'app.conf'));
  t.deepEqual(rest, []);
  t.like(entry, {name: 'app.conf', type: 'file', mode: 0o640, content: 'hello\n'});
  t.is(entry?.uid, process.getuid?.());
  const owned = await entries(await hostPathTar(source, 'app.conf', {uid: 1000, gid: 1001}));
  t.like(owned[0], {uid: 1000, gid: 1001});
});

test('a host directory lands AT dest: its own entry is dest, its files below, modes kept', async (t) => {
  const dir = await scratch(t);
  const source = join(dir, 'site');
  await mkdir(join(source, 'sub'), {recursive: true});
  await writeFile(join(source, 'index.html'), '<h1>x</h1>');
  await writeFile(join(source, 'sub', 'run.sh'), '#!/bin/sh\n');
  await chmod(join(source, 'sub', 'run.sh'), 0o755);
  await chmod(join(source, 'sub'), 0o750);
  const found = await entries(await hostPathTar(source, 'www', {uid: 0, gid: 0}));
  const byName = new Map(found.map((entry) => [entry.name, entry]));
  t.deepEqual([...byName.keys()].sort(), ['www', 'www/index.html', 'www/sub', 'www/sub/run.sh']);
  t.like(byName.get('www/sub'), {type: 'directory', mode: 0o750, uid: 0});
  t.like(byName.get('www/sub/run.sh'), {mode: 0o755, content: '#!/bin/sh\n'});
});

test('nothing is written next to the source (the seed left <source>.tar behind)', async (t) => {
  const dir = await scratch(t);
  await writeFile(join(dir, 'file'), 'x');
  const {runtime} = stubRuntime({putArchive: () => Promise.resolve()});
  await new DockerContainer({runtime}).uploadToContainer('c1', join(dir, 'file'), '/etc/file');
  t.deepEqual(await readdir(dir), ['file']);
});

test('uploadToContainer extracts into dirname(dest) a tar named basename(dest)', async (t) => {
  const dir = await scratch(t);
  await writeFile(join(dir, 'local.conf'), 'k=v\n');
  const {runtime, calls} = stubRuntime({putArchive: () => Promise.resolve()});
  await new DockerContainer({runtime}).uploadToContainer('c1', join(dir, 'local.conf'), '/etc/app/app.conf');
  const [id, parent, tar] = calls[0]?.args ?? [];
  t.is(id, 'c1');
  t.is(parent, '/etc/app');
  t.like((await entries(tar as Buffer))[0], {name: 'app.conf', content: 'k=v\n'});
});

test('a missing source is NOT_FOUND about the host path, and nothing is sent', async (t) => {
  const {runtime, calls} = stubRuntime({});
  const error = await t.throwsAsync(
    new DockerContainer({runtime}).uploadToContainer('c1', '/no/such/file', '/x'),
    {
      instanceOf: EngineError,
    },
  );
  t.is(error?.code, 'NOT_FOUND');
  t.is(error?.details['resource'], 'hostPath');
  t.is(calls.length, 0);
});

test('a missing directory in the container is NOT_FOUND saying which (seed case 33)', async (t) => {
  const {runtime} = stubRuntime({
    putArchive: () =>
      Promise.reject(
        new EngineError('NOT_FOUND', 'path not found: Could not find the file /nope in container c1', {
          details: {resource: 'path', ref: 'c1:/nope'},
        }),
      ),
  });
  const error = await t.throwsAsync(
    new DockerContainer({runtime}).uploadContent('c1', '/nope/app.conf', 'x'),
    {
      instanceOf: EngineError,
    },
  );
  t.is(error?.code, 'NOT_FOUND');
  t.regex(error?.message ?? '', /directory \/nope does not exist in container c1/);
});

test('a missing container stays NOT_FOUND about the container', async (t) => {
  const gone = new EngineError('NOT_FOUND', 'container not found', {details: {resource: 'container'}});
  const {runtime} = stubRuntime({putArchive: () => Promise.reject(gone)});
  const error = await t.throwsAsync(new DockerContainer({runtime}).uploadContent('c1', '/etc/x', 'x'));
  t.is(error, gone);
});

test('content becomes one file with the given mode and owner (root and 0644 by default)', async (t) => {
  t.like((await entries(await contentTar('a.conf', 'x=1\n')))[0], {
    name: 'a.conf',
    mode: 0o644,
    uid: 0,
    gid: 0,
    content: 'x=1\n',
  });
  t.like(
    (await entries(await contentTar('key', Buffer.from('s3cret'), {mode: 0o600, uid: 65534, gid: 65534})))[0],
    {
      mode: 0o600,
      uid: 65534,
      gid: 65534,
      content: 's3cret',
    },
  );
});
