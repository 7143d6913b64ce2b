/**
An esbuild plugin of the build (scripts/build.mjs), apart so that a test bundles with it too.

The parts of dockerode the engine never reaches, replaced by stubs that say so: its BuildKit session (gRPC)
and progress decoder (protobufjs), and docker-modem's ssh agent (ssh2). They were a quarter of the bundle, and
V8 compiled and ran most of them on every start that connects to Docker (the first `initialize` reply, the TUI's
first frame).
*/
import type {Plugin} from 'esbuild';

export function unusedDockerodeParts(root: string): Plugin {
  return {
    name: 'unused-dockerode-parts',
    setup(plugin) {
      const stubs = [
        {importer: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/, path: './session', stub: 'dockerode-session.js'},
        {
          importer: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/,
          path: './buildkit',
          stub: 'dockerode-buildkit.js',
        },
        {importer: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, path: './ssh', stub: 'docker-modem-ssh.js'},
      ];
      plugin.onResolve({filter: /^\.\/(session|buildkit|ssh)$/}, (args) => {
        const match = stubs.find((entry) => entry.path === args.path && entry.importer.test(args.importer));
        return match === undefined ? undefined : {path: `${root}/scripts/stubs/${match.stub}`};
      });
    },
  };
}
