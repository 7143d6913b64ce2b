import {readFileSync} from 'node:fs';

declare const __BCS_VERSION__: string | undefined;

/** The program version: baked in by the bundler, read from package.json when run from source. */
export function programVersion(): string {
  if (typeof __BCS_VERSION__ === 'string') return __BCS_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
