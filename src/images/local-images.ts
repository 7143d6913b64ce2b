/**
The images this project needs, built locally through the Docker API with no pull (no registry is reachable
from these machines): the pod infra image and the demo image. Both are FROM scratch, made of static binaries
found on the host (Debian's catatonit and busybox-static, which scripts/setup-host installs).
*/
import {readFile} from 'node:fs/promises';
import {createHash} from 'node:crypto';
import {LABEL_PREFIX, LOCAL_IMAGES} from '../constants.js';
import {EngineError} from '../errors.js';
import type {ContainerRuntime, ProgressEvent} from '../runtime/port.js';
import {packTar, type TarEntry} from '../archive/tar.js';
import {findStaticBinary} from './static-binary.js';
import {DEMO_FILES} from './demo-files.js';

export const CATATONIT_CANDIDATES = [
  '/usr/bin/catatonit',
  '/usr/libexec/catatonit/catatonit',
  '/usr/local/bin/catatonit',
];
export const BUSYBOX_CANDIDATES = [
  '/bin/busybox',
  '/usr/bin/busybox',
  '/usr/bin/busybox-static',
  '/usr/local/bin/busybox',
];

/** Label on a built image: a hash of its inputs, so a rebuild happens only when something changed. */
export const IMAGE_INPUT_LABEL = `${LABEL_PREFIX}image-inputs`;

const INSTALL_HINT =
  'install a static pause binary: on Debian or Ubuntu `apt-get install catatonit busybox-static` ' +
  '(or run scripts/setup-host as root)';

export interface LocalImageOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Override where static binaries are looked for (tests). */
  readonly catatonitCandidates?: readonly string[];
  readonly busyboxCandidates?: readonly string[];
  /** Rebuild even when an image with the same inputs exists. */
  readonly force?: boolean;
}

export interface BuiltImage {
  readonly ref: string;
  readonly imageId: string;
  /** false when an up-to-date image was already there. */
  readonly built: boolean;
}

interface Recipe {
  readonly dockerfile: string;
  readonly entries: readonly TarEntry[];
}

async function busyboxRootfs(busybox: string, applets: readonly string[]): Promise<TarEntry[]> {
  const binary = await readFile(busybox);
  const entries: TarEntry[] = [
    {type: 'directory', name: 'rootfs/bin'},
    {type: 'file', name: 'rootfs/bin/busybox', content: binary, mode: 0o755},
  ];
  for (const applet of applets) {
    // The list includes "busybox" itself: a symlink by that name would replace the binary.
    if (applet === 'busybox' || applet.includes('/')) continue;
    entries.push({type: 'symlink', name: `rootfs/bin/${applet}`, target: 'busybox'});
  }
  return entries;
}

async function busyboxApplets(busybox: string): Promise<string[]> {
  const {execFile} = await import('node:child_process');
  return await new Promise((resolve, reject) => {
    execFile(busybox, ['--list'], (error, stdout) => {
      if (error)
        reject(
          new EngineError('ENGINE_ERROR', `cannot list busybox applets of ${busybox}: ${error.message}`),
        );
      else resolve(stdout.split('\n').filter((line) => line.length > 0));
    });
  });
}

async function pauseRecipe(options: LocalImageOptions): Promise<Recipe> {
  const catatonit = await findStaticBinary(options.catatonitCandidates ?? CATATONIT_CANDIDATES);
  if (catatonit !== undefined) {
    return {
      // catatonit -P is a pure pause process; the engine runs it under HostConfig.Init, so it stops at once.
      dockerfile: 'FROM scratch\nCOPY pause /pause\nENTRYPOINT ["/pause", "-P"]\n',
      entries: [{type: 'file', name: 'pause', content: await readFile(catatonit), mode: 0o755}],
    };
  }
  const busybox = await findStaticBinary(options.busyboxCandidates ?? BUSYBOX_CANDIDATES);
  if (busybox !== undefined) {
    return {
      // Under Init (tini as PID 1) a plain sleep gets SIGTERM's default action, so the infra stops at once.
      dockerfile: 'FROM scratch\nCOPY pause /pause\nENTRYPOINT ["/pause", "sleep", "2147483647"]\n',
      entries: [{type: 'file', name: 'pause', content: await readFile(busybox), mode: 0o755}],
    };
  }
  throw new EngineError('UNSUPPORTED', `no static pause binary found on this host; ${INSTALL_HINT}`, {
    details: {
      feature: 'local-pause-image',
      searched: [
        ...(options.catatonitCandidates ?? CATATONIT_CANDIDATES),
        ...(options.busyboxCandidates ?? BUSYBOX_CANDIDATES),
      ],
    },
  });
}

async function demoRecipe(options: LocalImageOptions): Promise<Recipe> {
  const busybox = await findStaticBinary(options.busyboxCandidates ?? BUSYBOX_CANDIDATES);
  if (busybox === undefined) {
    throw new EngineError('UNSUPPORTED', 'no static busybox found on this host; install busybox-static', {
      details: {feature: 'local-demo-image', searched: options.busyboxCandidates ?? BUSYBOX_CANDIDATES},
    });
  }
  const entries = await busyboxRootfs(busybox, await busyboxApplets(busybox));
  for (const file of DEMO_FILES) {
    entries.push({type: 'file', name: `rootfs/${file.path}`, content: file.content, mode: file.mode});
  }
  entries.push({type: 'directory', name: 'rootfs/tmp', mode: 0o1777});
  return {
    dockerfile: [
      'FROM scratch',
      'COPY rootfs/ /',
      'ENV PATH=/bin',
      'EXPOSE 80',
      'WORKDIR /www',
      // httpd in the foreground, serving /www; `demo-logger` writes log lines for the logs views.
      'CMD ["httpd", "-f", "-v", "-p", "80", "-h", "/www"]',
      '',
    ].join('\n'),
    entries,
  };
}

function inputsHash(recipe: Recipe): string {
  const hash = createHash('sha256').update(recipe.dockerfile);
  for (const entry of recipe.entries) {
    hash.update(`\0${entry.type}\0${entry.name}\0`);
    if (entry.type === 'file') hash.update(entry.content).update(String(entry.mode ?? 0));
    if (entry.type === 'symlink') hash.update(entry.target);
  }
  return hash.digest('hex').slice(0, 16);
}

async function buildRecipe(
  runtime: ContainerRuntime,
  ref: string,
  recipe: Recipe,
  options: LocalImageOptions,
): Promise<BuiltImage> {
  const inputs = inputsHash(recipe);
  if (options.force !== true) {
    const existing = await runtime.inspectImage(ref, options.signal ? {signal: options.signal} : {});
    if (existing !== null && existing.labels[IMAGE_INPUT_LABEL] === inputs) {
      return {ref, imageId: existing.id, built: false};
    }
  }
  const context = await packTar([
    {type: 'file', name: 'Dockerfile', content: recipe.dockerfile},
    ...recipe.entries,
  ]);
  const {imageId} = await runtime.buildImage(context, {
    tag: ref,
    labels: {[IMAGE_INPUT_LABEL]: inputs},
    ...(options.signal ? {signal: options.signal} : {}),
    ...(options.onProgress ? {onProgress: options.onProgress} : {}),
  });
  return {ref, imageId, built: true};
}

/** Builds (or finds up to date) the infra image `bcs-executor/pause:local`. */
export async function buildPauseImage(
  runtime: ContainerRuntime,
  options: LocalImageOptions = {},
): Promise<BuiltImage> {
  return await buildRecipe(runtime, LOCAL_IMAGES.pause, await pauseRecipe(options), options);
}

/** Builds (or finds up to date) the demo image `bcs-executor/demo:local`: busybox httpd, a page, sh tools. */
export async function buildDemoImage(
  runtime: ContainerRuntime,
  options: LocalImageOptions = {},
): Promise<BuiltImage> {
  return await buildRecipe(runtime, LOCAL_IMAGES.demo, await demoRecipe(options), options);
}

/** Builds every local image. */
export async function buildLocalImages(
  runtime: ContainerRuntime,
  options: LocalImageOptions = {},
): Promise<BuiltImage[]> {
  return [await buildPauseImage(runtime, options), await buildDemoImage(runtime, options)];
}
