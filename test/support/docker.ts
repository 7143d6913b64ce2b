/**
Reaching the real engine from tests. The endpoint is `BCS_TEST_DOCKER_HOST` (so the same suites can run
against podman's socket) or the default resolution. Tests that need an engine fail, never skip, when none
answers.
*/
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {pack} from 'tar-stream';
import {LOCAL_IMAGES} from '../../src/constants.js';
import {isEngineError} from '../../src/errors.js';
import {DockerRuntime} from '../../src/runtime/docker/docker-runtime.js';
import type {ContainerRuntime} from '../../src/runtime/port.js';

/** Environment variable naming the engine the integration tests use. */
export const TEST_DOCKER_HOST_ENV = 'BCS_TEST_DOCKER_HOST';

/** The image built when the set-up's demo image is absent: busybox and its applets, nothing else. */
export const TEST_BUSYBOX_IMAGE = 'bcs-executor-test/busybox:local';

/** Where the static busybox comes from (Debian's busybox-static). */
const BUSYBOX_PATH = '/bin/busybox';

let cached: Promise<DockerRuntime> | undefined;

/**
A DockerRuntime for the test engine, pinged and negotiated. Throws (so the test fails) with a message saying
where it looked and how to start an engine when nothing answers.
*/
export function realRuntime(): Promise<DockerRuntime> {
  cached ??= connect();
  return cached;
}

async function connect(): Promise<DockerRuntime> {
  const fromEnv = process.env[TEST_DOCKER_HOST_ENV];
  const runtime = new DockerRuntime(fromEnv === undefined || fromEnv === '' ? {} : {endpoint: fromEnv});
  try {
    await runtime.ping({signal: AbortSignal.timeout(10_000)});
    return runtime;
  } catch (error) {
    cached = undefined;
    const reason = isEngineError(error) ? `${error.code}: ${error.message}` : String(error);
    throw new Error(
      `No container engine answers at ${runtime.endpoint} (${reason}). These tests need one: start dockerd ` +
        `(nohup dockerd >/var/log/dockerd.log 2>&1 &) or point ${TEST_DOCKER_HOST_ENV} at a running engine.`,
      {cause: error},
    );
  }
}

/** Environment variable naming podman's Docker-compatible endpoint for the podman tests. */
export const TEST_PODMAN_HOST_ENV = 'BCS_TEST_PODMAN_HOST';

/** Where `scripts/setup-host --with-podman` serves podman's API. */
export const DEFAULT_PODMAN_HOST = 'unix:///run/podman/podman.sock';

let podmanCached: Promise<DockerRuntime> | undefined;

/**
A DockerRuntime on podman's Docker-compatible API (`BCS_TEST_PODMAN_HOST`, else the set-up's socket), whatever
`BCS_TEST_DOCKER_HOST` says, so the podman tests run against podman in every suite. Throws (the test fails)
when nothing answers there or the engine there is not podman.
*/
export function podmanRuntime(): Promise<DockerRuntime> {
  podmanCached ??= connectPodman();
  return podmanCached;
}

async function connectPodman(): Promise<DockerRuntime> {
  const fromEnv = process.env[TEST_PODMAN_HOST_ENV];
  const endpoint = fromEnv === undefined || fromEnv === '' ? DEFAULT_PODMAN_HOST : fromEnv;
  const runtime = new DockerRuntime({endpoint});
  try {
    const {flavor} = await runtime.version({signal: AbortSignal.timeout(10_000)});
    if (flavor !== 'podman') throw new Error(`the engine at ${endpoint} is ${flavor}, not podman`);
    return runtime;
  } catch (error) {
    podmanCached = undefined;
    const reason = isEngineError(error) ? `${error.code}: ${error.message}` : String(error);
    throw new Error(
      `No podman answers at ${endpoint} (${reason}). These tests need podman's Docker-compatible API: run ` +
        `bash scripts/setup-host --with-podman, or point ${TEST_PODMAN_HOST_ENV} at it.`,
      {cause: error},
    );
  }
}

const images = new Map<ContainerRuntime, Promise<string>>();

/**
A local image with busybox tools (`sh`, `echo`, `sleep`, `cat`, ...) and a writable `/tmp`: the set-up's
demo image if present, else {@link TEST_BUSYBOX_IMAGE}, built once FROM scratch through the runtime (no
registry is needed). Cached per process and runtime.
*/
export function ensureTestImage(runtime: ContainerRuntime): Promise<string> {
  let pending = images.get(runtime);
  if (pending === undefined) {
    pending = findOrBuild(runtime);
    images.set(runtime, pending);
    pending.catch(() => images.delete(runtime));
  }
  return pending;
}

async function findOrBuild(runtime: ContainerRuntime): Promise<string> {
  const signal = AbortSignal.timeout(120_000);
  if ((await runtime.inspectImage(LOCAL_IMAGES.demo, {signal})) !== null) return LOCAL_IMAGES.demo;
  if ((await runtime.inspectImage(TEST_BUSYBOX_IMAGE, {signal})) !== null) return TEST_BUSYBOX_IMAGE;
  await runtime.buildImage(await busyboxContext(), {tag: TEST_BUSYBOX_IMAGE, signal});
  return TEST_BUSYBOX_IMAGE;
}

/** The build context: a Dockerfile and a rootfs with busybox, one symlink per applet, and a sticky /tmp. */
export async function busyboxContext(): Promise<Buffer> {
  let busybox: Buffer;
  let applets: string[];
  try {
    busybox = readFileSync(BUSYBOX_PATH);
    // `busybox --list` names the applets compiled in; `busybox` itself is skipped, or its symlink would
    // replace the binary.
    applets = execFileSync(BUSYBOX_PATH, ['--list'], {encoding: 'utf8'})
      .split('\n')
      .map((name) => name.trim())
      .filter((name) => name !== '' && name !== 'busybox');
  } catch (error) {
    throw new Error(
      `${BUSYBOX_PATH} is missing or broken: install busybox-static to build ${TEST_BUSYBOX_IMAGE}`,
      {
        cause: error,
      },
    );
  }
  const tar = pack();
  tar.entry({name: 'Dockerfile', mode: 0o644}, 'FROM scratch\nCOPY rootfs/ /\nENV PATH=/bin\nCMD ["sh"]\n');
  tar.entry({name: 'rootfs/bin', type: 'directory', mode: 0o755});
  tar.entry({name: 'rootfs/tmp', type: 'directory', mode: 0o1777});
  tar.entry({name: 'rootfs/bin/busybox', mode: 0o755}, busybox);
  for (const applet of applets) {
    tar.entry({name: `rootfs/bin/${applet}`, type: 'symlink', linkname: 'busybox'});
  }
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
