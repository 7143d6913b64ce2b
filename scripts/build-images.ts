/**
Builds the local images (bcs-executor/pause:local, bcs-executor/demo:local) through the Docker API, with no pull.
Run by scripts/setup-host: `node --import=tsx scripts/build-images.ts [--host URL] [--force]`.
*/
import {buildLocalImages, createDockerRuntime, isEngineError} from '../src/index.js';

const argv = process.argv.slice(2);
const hostAt = argv.indexOf('--host');
const endpoint = hostAt === -1 ? undefined : argv[hostAt + 1];
const quiet = process.env.BCS_SETUP_QUIET === '1';

try {
  const runtime = await createDockerRuntime(endpoint === undefined ? {} : {endpoint});
  const images = await buildLocalImages(runtime, {
    force: argv.includes('--force'),
    signal: AbortSignal.timeout(300_000),
  });
  for (const image of images) {
    if (!quiet || image.built) {
      process.stderr.write(
        `setup-host: ${image.ref} ${image.built ? 'built' : 'up to date'} (${image.imageId.slice(0, 19)})\n`,
      );
    }
  }
} catch (error) {
  const message = isEngineError(error) ? `${error.code}: ${error.message}` : String(error);
  process.stderr.write(`setup-host: building local images failed: ${message}\n`);
  process.exitCode = 1;
}
