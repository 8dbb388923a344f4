/**
 * Version of the agent/server/web wire contract. Bumped on any incompatible change to the
 * shapes in `src/protocol`. The server accepts batches whose `protocol` field is absent or
 * equal to this value.
 */
export const PROTOCOL_VERSION = 1;
