import type { AppListing, DialogTemplate, SysMsgType, SystemDialogType } from '@beckon/protocol';

/**
 * What the shell asks the embedding app (the phone) to draw. Every dialog is the phone's, drawn in its own
 * DOM outside the app's frames; the shell makes the app's frames `inert` while one is open and sends no
 * two at once. Each callback resolves with the user's answer; when the shell withdraws a dialog (the app
 * went to the background or was closed) it aborts `signal`: close the dialog then, the answer is ignored.
 *
 * Text from apps (titles, contents, items, template titles and keyword names) must be rendered as text.
 */
export interface ShellUi {
  /** The consent dialog of `wx.requestSubscribeMessage`. */
  subscribe(request: SubscribeDialogRequest, signal: AbortSignal): Promise<SubscribeDialogAnswer>;
  /** The consent dialog of `wx.requestSubscribeSystemMessage` (mini games). */
  subscribeSystem(
    request: SystemSubscribeDialogRequest,
    signal: AbortSignal,
  ): Promise<SystemSubscribeDialogAnswer>;
  /** `wx.showModal`. */
  modal(request: ModalRequest, signal: AbortSignal): Promise<ModalAnswer>;
  /** `wx.showActionSheet`: the index of the item tapped, or null when dismissed. */
  actionSheet(request: ActionSheetRequest, signal: AbortSignal): Promise<number | null>;
  /** `wx.modifyFriendInteractiveStorage`'s confirmation: true to go ahead. */
  friendInteraction(request: FriendInteractionRequest, signal: AbortSignal): Promise<boolean>;
  /**
   * `wx.openSetting`: the app's settings page (the main switch, the kept templates); resolves when the user
   * leaves it. The page changes settings itself (`PUT /api/apps/:appid/settings`); the shell then reads them
   * for the app's answer.
   */
  settings(request: SettingsRequest, signal: AbortSignal): Promise<void>;
}

/** The consent dialog: the app's name, then each template's title and keyword names (spec §4.1). */
export interface SubscribeDialogRequest {
  app: AppListing;
  /**
   * The templates to ask about, in the order requested: a switch for each when there are several. (Those
   * settled without asking, kept choices, banned or filtered titles, are not here.)
   */
  templates: DialogTemplate[];
}

/**
 * The user's answer: the template ids switched on (every other asked one is rejected: "Cancel" is
 * `accepted: []`), and the "Always keep the above choice, don't ask again" box.
 */
export interface SubscribeDialogAnswer {
  accepted: string[];
  keepChoice: boolean;
}

export interface SystemSubscribeDialogRequest {
  app: AppListing;
  /**
   * The types to ask about, with their English names (SYS_MSG_TYPE_NAMES has the Chinese ones); those
   * settled before (accepted, or switched off in settings) are answered without asking.
   */
  types: SystemDialogType[];
}

/** The types switched on; every other asked one is rejected ("Cancel" is `accepted: []`). */
export interface SystemSubscribeDialogAnswer {
  accepted: SysMsgType[];
}

/**
 * `wx.showModal`'s arguments. A text or color left out is the phone's default (WeChat's are "Cancel" and
 * "OK" in the user's language); colors are `#rgb` or `#rrggbb`.
 */
export interface ModalRequest {
  app: AppListing;
  title: string;
  content: string;
  showCancel: boolean;
  /** At most 4 characters. */
  cancelText?: string;
  cancelColor?: string;
  /** At most 4 characters. */
  confirmText?: string;
  confirmColor?: string;
  /** Show a text field (its text comes back as `content`). */
  editable: boolean;
  placeholderText: string;
}

export interface ModalAnswer {
  confirm: boolean;
  /** The text typed into an editable modal. */
  content?: string;
}

export interface ActionSheetRequest {
  app: AppListing;
  /** 1 to 6 items. */
  itemList: string[];
  alertText: string;
  itemColor?: string;
}

export interface FriendInteractionRequest {
  app: AppListing;
  /** The friend as the game knows them: their openid in it, their name on the platform. */
  friend: { openid: string; nickname: string; avatarUrl: string };
  /** What the interaction says (at most 20 characters), '' when the game gave none. */
  title: string;
  imageUrl: string;
  /** No reminder reaches the friend. */
  quiet: boolean;
}

export interface SettingsRequest {
  app: AppListing;
}

export type DialogKind = keyof ShellUi;
