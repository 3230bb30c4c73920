import type { BridgeApi } from '@beckon/protocol';
import { login } from './account.js';
import type { Handler } from './call.js';
import { getFriendCloudStorage, modifyFriendInteractiveStorage, setUserCloudStorage } from './games.js';
import { showActionSheet, showModal } from './interface.js';
import { navigateBack, navigateTo, redirectTo } from './navigation.js';
import { getSetting, openSetting } from './settings.js';
import { requestSubscribeMessage, requestSubscribeSystemMessage } from './subscribe.js';

/** The shell's answer to each API the page forwards. */
export const HANDLERS: Record<BridgeApi, Handler> = {
  login,
  requestSubscribeMessage,
  requestSubscribeSystemMessage,
  getSetting,
  openSetting,
  navigateTo,
  redirectTo,
  navigateBack,
  showModal,
  showActionSheet,
  modifyFriendInteractiveStorage,
  setUserCloudStorage,
  getFriendCloudStorage,
};

export { type Answer, type ShellServices, WITHDRAWN } from './call.js';
