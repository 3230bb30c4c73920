/**
 * @beckon/client/socket: the reconnecting `/ws` socket the phone's layers share (the inbox, calling).
 * `import { BeckonSocket } from '@beckon/client/socket'` (README: *The socket*).
 */
export { SOCKET_NETWORK_ERROR, SocketError, socketUrl } from './connect.js';
export {
  BeckonSocket,
  type BeckonSocketOptions,
  type FrameOf,
  type PushedFrameType,
  type RequestFields,
  type SocketCloseReason,
  type SocketRequestType,
  type SocketStatus,
} from './socket.js';
