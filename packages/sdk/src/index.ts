export { genUserSig, type UserSigCheck, verifyUserSig } from '@beckon/protocol/node';
export {
  type ClientOptions,
  createClient,
  type PubTemplateKeywords,
  type PubTemplateTitles,
  type SendInput,
  type TemplateCategory,
  WECHAT_API_BASE_URL,
  type WeChatClient,
} from './client.js';
export { WeChatError, WeChatHttpError } from './errors.js';
export type { ApiAnswer, ApiRequest, Fetch } from './http.js';
export * from './mirror/index.js';
export { PushError, type PushErrorReason } from './push/errors.js';
export type { CallEvent, PushEvent } from './push/events.js';
export type { NodeHandler } from './push/node-handler.js';
export {
  createPushReceiver,
  type OnPushEvent,
  type PushAnswer,
  type PushInput,
  type PushQuery,
  type PushReceiver,
  type PushReceiverOptions,
} from './push/receiver.js';
export { RedisTokenStore, type RedisTokenStoreOptions } from './tokens/redis-store.js';
export { MemoryTokenStore, type ReleaseLock, type StoredToken, type TokenStore } from './tokens/store.js';
