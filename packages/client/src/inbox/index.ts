/**
 * @beckon/client/inbox: the Service Notifications thread for any UI (no DOM, no framework), on the platform's
 * client API and the socket. `import { Inbox } from '@beckon/client/inbox'` (README: *The inbox*).
 */
export type { InboxCard, InboxPage } from '@beckon/protocol';
export { Inbox, type InboxOptions, type InboxState } from './inbox.js';
export { byMsgid } from './thread.js';
