// Beckon's `wx` against WeChat's official mini program typings (miniprogram-api-typings): every member
// Beckon implements must be assignable to WeChat's declaration of it. Compiled by ../wx-typings.test.ts.
import type { Wx } from '../../src/wx/types.js';

type Members =
  | 'login'
  | 'requestSubscribeMessage'
  | 'getSetting'
  | 'openSetting'
  | 'getLaunchOptionsSync'
  | 'onAppShow'
  | 'offAppShow'
  | 'navigateTo'
  | 'redirectTo'
  | 'navigateBack'
  | 'showModal'
  | 'showActionSheet';

declare const beckon: Wx;
export const asWeChat: Pick<WechatMiniprogram.Wx, Members> = beckon;
