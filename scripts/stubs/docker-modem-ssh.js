// docker-modem's ssh:// agent (ssh2, ~14 ms of start-up): the engine's endpoints are unix sockets and plain
// TCP only (src/runtime/docker/endpoint.ts refuses every other scheme before a client is built).
module.exports = function sshAgent() {
  throw new Error('ssh:// endpoints are not part of the bcs-executor build');
};
