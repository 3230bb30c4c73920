/**
 * `@beckon/protocol/node`: the contracts that need Node's crypto and zlib (userSig, push signing and
 * encryption). The main entry imports nothing of Node, so browsers can load it.
 */
export * from './node/push-crypto.js';
export * from './node/usersig.js';
