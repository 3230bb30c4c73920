#!/usr/bin/env node
import { parseArgs } from 'node:util';
import {
  APP_TYPES,
  ApiError,
  type AppType,
  type AppView,
  type CallSettingsView,
  DEFAULT_DAILY_SEND_CAP,
  Errors,
  type IssuedUserSig,
  isUserId,
  PUSH_DELIVERY_STATUSES,
  PUSH_FORMATS,
  PUSH_MODES,
  type PushConfigView,
  type PushDeliveryStatus,
  type PushDeliveryView,
  type PushFormat,
  type PushMode,
  USERSIG_MAX_EXPIRE_SECONDS,
} from '@beckon/protocol';
import { type AppAdmin, adminFor } from './cli/app-admin.js';
import { GAME_USAGE, gameCommand } from './cli/game-command.js';
import { configFromEnv } from './config.js';
import { start } from './start.js';

const USAGE = `Usage: beckon <command>

  start                                  start the server (BECKON_HOST, BECKON_PORT, BECKON_DATA_DIR, BECKON_ADMIN_TOKEN);
                                         a fresh data dir on loopback gets the demo (BECKON_DEMO=0: none)
  app create --name NAME --type miniprogram|minigame [--owner OWNER] [--frontend URL] [--icon URL]
  app list
  app show APPID
  app rename APPID NAME
  app frontend APPID URL | --off         where the app's pages are served (http or https, on an origin no
                                         other app's front end has; the phone lists only apps with a front
                                         end and opens page paths under it)
  app icon APPID URL | --off             the icon the phone shows (an http or https image URL)
  app reset-secret APPID
  app reset-rtc-key APPID                a new RTC secret key (userSigs signed with the old one stop working)
  app ban APPID | app unban APPID        ban or unban the app's subscribe-message capability
  app pages APPID PAGE...                declare the app's pages (sends must then name one of them)
  app send-cap APPID N|default           sends per day (China time) before 45009; default: ${DEFAULT_DAILY_SEND_CAP}
  app push APPID --url URL --token TOKEN [--aes-key KEY] [--format json|xml] [--mode plaintext|compatible|secure]
                                         enable message push (events to URL); the URL must first answer the
                                         check (GET with signature, timestamp, nonce, echostr: reply echostr)
  app push APPID                         show the app's message push configuration
  app push APPID --off                   disable message push (pending events are dropped)
  app push-log APPID [--status pending|delivered|failed] [--limit N] [--before ID]
                                         the app's pushed events, newest first
  app calls APPID [--multi-device on|off]
                                         show or set the app's calling options; multi-device on: all of a
                                         user's sessions ring (off, the default: a later login kicks the earlier)
${GAME_USAGE}
  usersig --app SDKAPPID --user USERID [--expire SECONDS]
                                         a userSig for development (the last line of the output); USERID:
                                         1 to 32 letters, digits, - or _; expire default 180 days

Options for app, game and usersig commands:
  --json            print JSON
  --data-dir DIR    the data dir (default: BECKON_DATA_DIR or ./data)
  --server URL      talk to this running server's admin API (default: the server running on the data dir, if any)
`;

function printApp(app: AppView): void {
  const rows: [string, string][] = [
    ['appid', app.appid],
    ...(app.secret ? ([['secret', app.secret]] as [string, string][]) : []),
    ['sdkappid', String(app.sdkAppId)],
    ...(app.rtcSecretKey ? ([['rtc key', app.rtcSecretKey]] as [string, string][]) : []),
    ['name', app.name],
    ['type', app.type],
    ['original id', app.originalId],
    ['owner', app.owner],
    ['frontend', app.frontend ?? '(none: the phone does not list the app)'],
    ['icon', app.icon ?? '(none: the phone shows the name’s first letter)'],
    ['subscribe', app.subscribeBanned ? 'banned' : 'allowed'],
    ['pages', app.pages.length ? app.pages.join(', ') : '(none declared: any page is accepted)'],
    [
      'send cap',
      app.dailySendCap === null ? `${DEFAULT_DAILY_SEND_CAP} a day (default)` : `${app.dailySendCap} a day`,
    ],
    ['created', app.createdAt],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(12)} ${v}`);
  if (app.rtcSecretKey)
    console.log(`\nuserSigs are signed with the rtc key: beckon usersig --app ${app.sdkAppId} --user USERID`);
}

function printPush(view: PushConfigView): void {
  if (!view.enabled) {
    console.log(`message push for ${view.appid} is off`);
    return;
  }
  const rows: [string, string][] = [
    ['appid', view.appid],
    ['url', view.url],
    ['token', view.token],
    ['aes key', view.encodingAESKeyTail === null ? '(none)' : `…${view.encodingAESKeyTail}`],
    ['format', view.format],
    ['mode', view.mode],
    ['verified', view.verifiedAt],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(12)} ${v}`);
}

function printPushLog(rows: PushDeliveryView[]): void {
  if (rows.length === 0) console.log('no pushed events');
  for (const r of rows) {
    const when =
      r.status === 'delivered' ? r.deliveredAt : r.status === 'pending' ? `next ${r.nextAttemptAt}` : '';
    const error = r.lastError ? `  ${r.lastError}` : '';
    console.log(
      `${String(r.id).padStart(6)}  ${r.status.padEnd(9)}  ${r.event.padEnd(26)}  ${r.openid}  ` +
        `attempts ${r.attempts}  ${when}${error}`,
    );
  }
}

function printCalls(view: CallSettingsView): void {
  console.log(`${'appid'.padEnd(12)} ${view.appid}`);
  console.log(
    `${'multi-device'.padEnd(12)} ${view.multiDevice ? 'on (all sessions ring)' : 'off (a later login kicks the earlier)'}`,
  );
}

/** `app calls APPID [--multi-device on|off]`. */
async function callsCommand(admin: AppAdmin, appid: string, multiDevice: string | undefined) {
  if (multiDevice === undefined) return admin.showCalls(appid);
  if (multiDevice !== 'on' && multiDevice !== 'off')
    throw new Error('app calls --multi-device must be on or off');
  return admin.setCalls(appid, { multiDevice: multiDevice === 'on' });
}

interface PushOptions {
  url?: string | undefined;
  token?: string | undefined;
  'aes-key'?: string | undefined;
  format?: string | undefined;
  mode?: string | undefined;
  off?: boolean | undefined;
  status?: string | undefined;
  limit?: string | undefined;
  before?: string | undefined;
}

/** `app push` and `app push-log`. */
async function pushCommand(
  admin: AppAdmin,
  sub: 'push' | 'push-log',
  appid: string,
  values: PushOptions,
): Promise<PushConfigView | PushDeliveryView[]> {
  if (sub === 'push-log') {
    const { status, limit, before } = values;
    if (status !== undefined && !PUSH_DELIVERY_STATUSES.includes(status as PushDeliveryStatus))
      throw new Error(`app push-log --status must be one of ${PUSH_DELIVERY_STATUSES.join('|')}`);
    if (limit !== undefined && !/^\d{1,3}$/.test(limit)) throw new Error('app push-log --limit needs N');
    if (before !== undefined && !/^\d{1,15}$/.test(before))
      throw new Error('app push-log --before needs an ID');
    return admin.pushLog(appid, {
      ...(status ? { status: status as PushDeliveryStatus } : {}),
      ...(limit ? { limit: Number(limit) } : {}),
      ...(before ? { before: Number(before) } : {}),
    });
  }
  if (values.off) return admin.disablePush(appid);
  const { url, token, format, mode } = values;
  if (url === undefined && token === undefined) return admin.showPush(appid);
  if (!url || !token) throw new Error('app push needs --url URL and --token TOKEN (or --off)');
  if (format !== undefined && !PUSH_FORMATS.includes(format as PushFormat))
    throw new Error(`app push --format must be ${PUSH_FORMATS.join('|')}`);
  if (mode !== undefined && !PUSH_MODES.includes(mode as PushMode))
    throw new Error(`app push --mode must be ${PUSH_MODES.join('|')}`);
  return admin.setPush(appid, {
    url,
    token,
    ...(values['aes-key'] !== undefined ? { encodingAESKey: values['aes-key'] } : {}),
    ...(format ? { format: format as PushFormat } : {}),
    ...(mode ? { mode: mode as PushMode } : {}),
  });
}

/** `app rename`, `app frontend` and `app icon`: one field of the app's patch. */
function appPatch(sub: 'rename' | 'frontend' | 'icon', rest: string[], off: boolean | undefined) {
  if (sub === 'rename') {
    if (!rest.length) throw new Error('app rename needs APPID NAME');
    return { name: rest.join(' ') };
  }
  if (off && rest.length) throw new Error(`app ${sub} takes a URL or --off, not both`);
  if (!off && rest.length !== 1) throw new Error(`app ${sub} needs APPID URL (or APPID --off)`);
  return { [sub]: off ? null : rest[0] };
}

/** `N` (a whole number, 0 stops sending) or `default`. */
function parseSendCap(arg: string | undefined): number | null {
  if (arg === 'default') return null;
  if (arg === undefined || !/^\d{1,15}$/.test(arg))
    throw new Error('app send-cap needs N (0 or more) or default');
  return Number(arg);
}

async function appCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      type: { type: 'string' },
      owner: { type: 'string' },
      frontend: { type: 'string' },
      icon: { type: 'string' },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      server: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      'aes-key': { type: 'string' },
      format: { type: 'string' },
      mode: { type: 'string' },
      off: { type: 'boolean' },
      status: { type: 'string' },
      limit: { type: 'string' },
      before: { type: 'string' },
      'multi-device': { type: 'string' },
    },
  });
  const [sub, appid, ...rest] = positionals;
  const needAppid = () => {
    if (!appid) throw new Error(`app ${sub} needs an APPID`);
    return appid;
  };
  const admin = adminFor(values);
  try {
    if (sub === 'push' || sub === 'push-log') {
      const out = await pushCommand(admin, sub, needAppid(), values);
      if (values.json) console.log(JSON.stringify(out, null, 2));
      else if (Array.isArray(out)) printPushLog(out);
      else printPush(out);
      return;
    }
    if (sub === 'calls') {
      const out = await callsCommand(admin, needAppid(), values['multi-device']);
      if (values.json) console.log(JSON.stringify(out, null, 2));
      else printCalls(out);
      return;
    }
    let result: AppView | AppView[];
    switch (sub) {
      case 'create': {
        if (!values.name) throw new Error('app create needs --name NAME');
        if (!APP_TYPES.includes(values.type as AppType))
          throw new Error(`app create needs --type ${APP_TYPES.join('|')}`);
        result = await admin.create({
          name: values.name,
          type: values.type as AppType,
          ...(values.owner ? { owner: values.owner } : {}),
          ...(values.frontend !== undefined ? { frontend: values.frontend } : {}),
          ...(values.icon !== undefined ? { icon: values.icon } : {}),
        });
        break;
      }
      case 'list':
        result = await admin.list();
        break;
      case 'show':
        result = await admin.show(needAppid());
        break;
      case 'rename':
      case 'frontend':
      case 'icon':
        result = await admin.update(needAppid(), appPatch(sub, rest, values.off));
        break;
      case 'reset-secret':
        result = await admin.resetSecret(needAppid());
        break;
      case 'reset-rtc-key':
        result = await admin.resetRtcKey(needAppid());
        break;
      case 'ban':
      case 'unban':
        result = await admin.setBanned(needAppid(), sub === 'ban');
        break;
      case 'pages':
        result = await admin.setPages(needAppid(), rest);
        break;
      case 'send-cap':
        result = await admin.setSendCap(needAppid(), parseSendCap(rest[0]));
        break;
      default:
        throw new Error(`unknown app command: ${sub ?? '(none)'}\n\n${USAGE}`);
    }
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else if (Array.isArray(result)) {
      if (result.length === 0) console.log('no apps yet: beckon app create --name NAME --type miniprogram');
      for (const app of result) console.log(`${app.appid}  ${app.type.padEnd(11)}  ${app.name}`);
    } else printApp(result);
  } finally {
    await admin.close();
  }
}

/** `beckon usersig`: the sig goes on the last line, so `| tail -n 1` gets it. */
async function userSigCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      app: { type: 'string' },
      user: { type: 'string' },
      expire: { type: 'string' },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      server: { type: 'string' },
    },
  });
  if (positionals.length) throw new Error(`usersig takes no arguments: ${positionals.join(' ')}`);
  if (!values.app || !/^\d{1,15}$/.test(values.app))
    throw new Error('usersig needs --app SDKAPPID (a number)');
  if (!values.user) throw new Error('usersig needs --user USERID');
  if (!isUserId(values.user))
    throw new Error(`${Errors.INVALID_USER_ID.message}: ${JSON.stringify(values.user)} (errcode 7003)`);
  const expire = values.expire === undefined ? undefined : Number(values.expire);
  if (
    expire !== undefined &&
    !(/^\d{1,10}$/.test(values.expire!) && expire >= 1 && expire <= USERSIG_MAX_EXPIRE_SECONDS)
  )
    throw new Error(`usersig --expire needs SECONDS, from 1 to ${USERSIG_MAX_EXPIRE_SECONDS} (50 years)`);
  const admin = adminFor(values);
  let issued: IssuedUserSig;
  try {
    issued = await admin.userSig({
      sdkAppId: Number(values.app),
      userId: values.user,
      ...(expire !== undefined ? { expire } : {}),
    });
  } finally {
    await admin.close();
  }
  if (values.json) {
    console.log(JSON.stringify(issued, null, 2));
    return;
  }
  const until = new Date(Date.parse(issued.issuedAt) + issued.expire * 1000).toISOString();
  console.log(
    `userSig for ${issued.userId} in SDKAppID ${issued.sdkAppId}, valid until ${until} (${admin.via})`,
  );
  console.log(issued.userSig);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'start':
      return start(configFromEnv());
    case 'app':
      return appCommand(args);
    case 'usersig':
      return userSigCommand(args);
    case 'game':
      return gameCommand(args);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      throw new Error(`unknown command: ${command}\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const message = err instanceof ApiError || err instanceof Error ? err.message : String(err);
  console.error(`beckon: ${message}`);
  process.exit(1);
});
