// dockerode's BuildKit session (gRPC and protobufjs, ~20 ms of start-up): only its buildImage with
// `version: '2'` dials it, and the engine builds through its own `/build` call with the classic builder.
module.exports = function withSession(_docker, _auth, handler) {
  handler(new Error('BuildKit sessions are not part of the bcs-executor build'));
};
