/**
 * The one error registry. WeChat-facing routes answer HTTP 200 with `{errcode, errmsg}`; client and admin
 * routes answer the same shape with the HTTP status given here. Codes below 90000 are WeChat's own
 * (spec/subscribe-messages.md §1, §3), except the 7xxx/70xxx codes, which are Tencent IM's for userIDs and
 * userSigs (calling), and 2024, 6017, 8010 and 8011, TRTCCalling's and TSignaling's for call signaling;
 * 9xxxx codes are Beckon's, for routes WeChat does not have.
 */
export interface ErrorDef {
  readonly code: number;
  readonly message: string;
  /** HTTP status on client/admin routes. WeChat-facing routes always answer 200. */
  readonly status: number;
}

const def = (code: number, message: string, status = 400): ErrorDef => ({ code, message, status });

export const Errors = {
  // WeChat: common (§1.1.3, §3.1)
  SYSTEM_ERROR: def(-1, 'system error', 500),
  INVALID_CREDENTIAL: def(
    40001,
    'invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken',
    401,
  ),
  INVALID_GRANT_TYPE: def(40002, 'invalid grant_type'),
  INVALID_OPENID: def(40003, 'invalid openid'),
  INVALID_APPID: def(40013, 'invalid appid'),
  INVALID_ACCESS_TOKEN: def(40014, 'invalid access_token', 401),
  INVALID_CODE: def(40029, 'invalid code'),
  INVALID_TEMPLATE_ID: def(40037, 'invalid template_id'),
  INVALID_URL: def(40066, 'invalid url', 404),
  INVALID_APPSECRET: def(40125, 'invalid appsecret'),
  CODE_BEEN_USED: def(40163, 'code been used'),
  ACCESS_TOKEN_MISSING: def(41001, 'access_token missing', 401),
  APPID_MISSING: def(41002, 'appid missing'),
  APPSECRET_MISSING: def(41004, 'appsecret missing'),
  INVALID_PAGE: def(41030, 'invalid page'),
  ACCESS_TOKEN_EXPIRED: def(42001, 'access_token expired', 401),
  REQUIRE_POST: def(43002, 'require POST method', 405),
  USER_REFUSED: def(43101, 'user refuse to accept the msg', 403),
  SUBSCRIBE_BANNED: def(43107, 'subscribe message capability banned', 403),
  CONCURRENT_SEND: def(43108, 'Cannot make concurrent calls to the same OpenID, please try again', 429),
  EMPTY_POST_DATA: def(44002, 'empty post data'),
  DAILY_QUOTA: def(45009, 'reach max api daily quota limit', 429),
  MINUTE_QUOTA: def(45011, 'api minute-quota reach limit mustslower retry next minute', 429),
  SENSITIVE_CONTENT: def(45168, 'keyword in blacklist'),
  DATA_FORMAT: def(47001, 'data format error'),
  ARGUMENT_INVALID: def(47003, 'argument invalid!'),
  API_UNAUTHORIZED: def(48001, 'api unauthorized', 403),

  // WeChat: template management (§1.4)
  TEMPLATE_ACCOUNT_BANNED: def(200011, 'account has been banned', 403),
  TEMPLATE_LIMIT: def(200012, 'private template count exceeds limit'),
  TEMPLATE_BANNED: def(200013, 'template has been banned', 403),
  TID_INVALID: def(200014, 'tid does not exist'),
  START_INVALID: def(200016, 'invalid parameter start'),
  LIMIT_INVALID: def(200017, 'invalid parameter limit'),
  CATEGORY_IDS_MISSING: def(200018, 'missing parameter ids'),
  CATEGORY_IDS_INVALID: def(200019, 'invalid parameter ids'),
  KIDLIST_INVALID: def(200020, 'invalid parameter kidList'),
  SCENE_DESC_INVALID: def(200021, 'invalid parameter sceneDesc'),

  // WeChat client: wx.requestSubscribeMessage fail codes (spec §3.3). The consent routes answer them as
  // `{errCode, errMsg: "requestSubscribeMessage:fail <message>"}`.
  TMPL_IDS_EMPTY: def(10001, "TmplIds can't be empty"),
  REQUEST_LIST_FAIL: def(10002, 'Request list fail', 500),
  REQUEST_SUBSCRIBE_FAIL: def(10003, 'Request subscribe fail', 500),
  TMPL_ID_INVALID: def(10004, 'Invalid template id'),
  CANNOT_SHOW_UI: def(10005, 'Cannot show subscribe message UI', 409),
  NO_TEMPLATE_DATA: def(20001, 'No template data return, verify the template id exist'),
  TEMPLATE_TYPES_MIXED: def(20002, 'Templates type must be same'),
  TEMPLATE_COUNT_EXCEEDED: def(20003, 'Templates count out of max bounds'),
  MAIN_SWITCH_OFF: def(20004, 'The main switch is switched off', 403),
  APP_SUBSCRIBE_BANNED: def(20005, 'This mini program was banned from subscribing messages', 403),

  // Tencent IM / TRTC: userID and userSig checks for calling (spec calling.md §1.7), with Tencent's codes
  // (IM error codes, cloud.tencent.com/document/product/269/1671), so clients ported from TRTC read them.
  INVALID_USER_ID: def(7003, 'invalid userID: 1 to 32 letters, digits, hyphens or underscores'),
  USERSIG_EXPIRED: def(70001, 'userSig expired', 401),
  USERSIG_MALFORMED: def(70003, 'userSig could not be parsed', 401),
  USERSIG_FORGED: def(70009, "userSig verification failed: not signed with this SDKAppID's key", 401),
  USERSIG_USER_MISMATCH: def(70013, 'userID does not match the one the userSig was made for', 401),
  USERSIG_OTHER_APP: def(70014, 'SDKAppID does not match the one the userSig was made for', 401),
  SDKAPPID_NOT_FOUND: def(70020, 'SDKAppID not found', 404),
  // Calling signaling (spec calling.md §1.2, §1.5): TRTCCalling's and TSignaling's own codes.
  CALL_NOT_LOGGED_IN: def(2024, 'not logged in to calling', 401),
  SIGNALING_INVALID_PARAMETERS: def(6017, 'invalid parameters'),
  SIGNALING_INVALID_INVITE_ID: def(8010, 'inviteID is invalid or invitation has been processed', 404),
  SIGNALING_NO_PERMISSION: def(
    8011,
    'no permission: not your invitation to cancel, or not addressed to you',
    403,
  ),

  // Beckon: requests, admin and apps
  INVALID_REQUEST: def(91000, 'invalid request'),
  NOT_FOUND: def(91001, 'not found', 404),
  ADMIN_UNAUTHORIZED: def(91002, 'admin token missing or wrong', 401),
  APP_NOT_FOUND: def(91003, 'app not found', 404),

  // Beckon: accounts and sessions
  USERNAME_TAKEN: def(92001, 'username already taken', 409),
  WRONG_CREDENTIALS: def(92002, 'wrong username or password', 401),
  TOO_MANY_SIGN_INS: def(92003, 'too many failed sign-ins, try again later', 429),
  SESSION_INVALID: def(92004, 'session missing, invalid or expired', 401),

  // Beckon: message push (admin API). The URL check (spec §5.1) must pass before a configuration is kept.
  PUSH_CONFIG_INVALID: def(93001, 'invalid message push configuration'),
  PUSH_URL_UNREACHABLE: def(93002, 'message push URL could not be reached', 502),
  PUSH_URL_TIMEOUT: def(93003, 'message push URL did not answer within 5 s', 504),
  PUSH_URL_WRONG_ECHO: def(93004, 'message push URL did not answer with the echostr', 502),

  // Beckon: calling (server-side call state)
  CALL_IN_PROGRESS: def(94001, 'already calling or in a call', 409),
  CALL_NOT_FOUND: def(94002, 'not a member of that call, or it has ended', 404),
  CALL_TOO_MANY_USERS: def(94003, 'a call holds at most 9 users, the caller included'),
  /** The browser SDK's mesh media plane: every member sends to every other, so it stops at 6 (MESH_MAX_USERS). */
  CALL_MESH_FULL: def(94004, 'a browser call holds at most 6 users, the caller included'),
  /**
   * A resume of a session a later login kicked out while its socket was down: not a fresh login, which would
   * kick the newer device in turn (the client hears KICKED_OUT instead).
   */
  CALL_SESSION_KICKED: def(94005, 'this session was kicked out by a later login', 401),

  // Beckon: mini games (games.ts). Their client routes answer these in the default shape (not the wx API's).
  /** A mini game's API (system messages, cloud storage, interactions, game updates) asked of a mini program. */
  MINI_GAME_ONLY: def(95001, 'only mini games have this API', 403),
  /** `modifyFriendInteractiveStorage`'s toUser is not the openid of a friend who plays this game. */
  NOT_A_PLAYING_FRIEND: def(95002, 'toUser is not the openid of a friend of yours who plays this game', 404),
} as const satisfies Record<string, ErrorDef>;

export type ErrorName = keyof typeof Errors;

/** An error with a registry entry. `detail` replaces the message where WeChat names the culprit. */
export class ApiError extends Error {
  readonly code: number;
  readonly status: number;

  constructor(
    readonly def: ErrorDef,
    detail?: string,
  ) {
    super(detail ?? def.message);
    this.name = 'ApiError';
    this.code = def.code;
    this.status = def.status;
  }

  /** The code's message, then what exactly was wrong: `invalid request: expire must be …`. */
  static because(def: ErrorDef, detail: string): ApiError {
    return new ApiError(def, `${def.message}: ${detail}`);
  }

  /** `91000 invalid request: <detail>`: a client, admin or records request that breaks a documented rule. */
  static invalidRequest(detail: string): ApiError {
    return ApiError.because(Errors.INVALID_REQUEST, detail);
  }

  /** `47003 argument invalid! data.thing1.value invalid`, as WeChat words it. */
  static argumentInvalid(key: string, problem: 'invalid' | 'is empty'): ApiError {
    return new ApiError(Errors.ARGUMENT_INVALID, `argument invalid! data.${key}.value ${problem}`);
  }
}

const byCode = new Map<number, ErrorDef>(Object.values(Errors).map((e) => [e.code, e]));

/** The registry entry for a code, e.g. to describe a code in docs or an SDK. */
export function errorByCode(code: number): ErrorDef | undefined {
  return byCode.get(code);
}

/** The WeChat reply for an error: errmsg always ends in ` rid: <request id>`. */
export function wechatError(err: { code: number; message: string }, rid: string) {
  return { errcode: err.code, errmsg: `${err.message} rid: ${rid}` };
}
