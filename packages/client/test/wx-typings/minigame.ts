// Beckon's `wx` against WeChat's official mini game typings (minigame-api-typings): every member Beckon
// implements for mini games must be assignable to WeChat's declaration of it. Compiled by
// ../wx-typings.test.ts.
import type { Wx } from '../../src/wx/types.js';

type Members =
  | 'login'
  | 'requestSubscribeMessage'
  | 'getSetting'
  | 'openSetting'
  | 'getLaunchOptionsSync'
  | 'onShow'
  | 'offShow'
  | 'showModal'
  | 'showActionSheet'
  | 'onTouchEnd'
  | 'offTouchEnd'
  | 'requestSubscribeSystemMessage'
  | 'modifyFriendInteractiveStorage'
  | 'setUserCloudStorage'
  | 'getFriendCloudStorage';

/**
 * WeChat's typings give requestSubscribeSystemMessage's result a field literally named `MSG_TYPE`, where its
 * documentation means a key per requested type (`{errMsg, SYS_MSG_TYPE_INTERACTIVE: 'accept'}`): that one
 * field is read as what it means, and everything else of the official option is kept.
 */
interface SystemMessageResult {
  [msgType: string]: string;
  errMsg: string;
}
type SystemMessageOption = Omit<WechatMinigame.RequestSubscribeSystemMessageOption, 'success'> & {
  success?: (res: SystemMessageResult) => void;
};
type Official = Omit<Pick<WechatMinigame.Wx, Members>, 'requestSubscribeSystemMessage'> & {
  requestSubscribeSystemMessage<T extends SystemMessageOption = SystemMessageOption>(
    option: T,
  ): WechatMinigame.PromisifySuccessResult<T, SystemMessageOption>;
};

declare const beckon: Wx;
export const asWeChat: Official = beckon;
