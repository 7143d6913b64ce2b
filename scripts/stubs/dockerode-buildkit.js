// dockerode's BuildKit progress decoder (protobufjs): only its followProgress reaches it, and the engine reads
// progress streams itself (src/runtime/docker/progress.ts).
module.exports = {
  followProgress() {
    throw new Error('BuildKit progress decoding is not part of the bcs-executor build');
  },
};
