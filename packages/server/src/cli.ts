#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { APP_TYPES, ApiError, type AppType, type AppView, DEFAULT_DAILY_SEND_CAP } from '@beckon/protocol';
import { openAppAdmin } from './cli/app-admin.js';
import { configFromEnv } from './config.js';
import { start } from './start.js';

const USAGE = `Usage: beckon <command>

  start                                  start the server (BECKON_HOST, BECKON_PORT, BECKON_DATA_DIR, BECKON_ADMIN_TOKEN)
  app create --name NAME --type miniprogram|minigame [--owner OWNER]
  app list
  app show APPID
  app reset-secret APPID
  app ban APPID | app unban APPID        ban or unban the app's subscribe-message capability
  app pages APPID PAGE...                declare the app's pages (sends must then name one of them)
  app send-cap APPID N|default           sends per day (China time) before 45009; default: ${DEFAULT_DAILY_SEND_CAP}

Options for app commands:
  --json            print JSON
  --data-dir DIR    the data dir (default: BECKON_DATA_DIR or ./data)
  --server URL      talk to this running server's admin API (default: the server running on the data dir, if any)
`;

function printApp(app: AppView): void {
  const rows: [string, string][] = [
    ['appid', app.appid],
    ...(app.secret ? ([['secret', app.secret]] as [string, string][]) : []),
    ['name', app.name],
    ['type', app.type],
    ['original id', app.originalId],
    ['owner', app.owner],
    ['subscribe', app.subscribeBanned ? 'banned' : 'allowed'],
    ['pages', app.pages.length ? app.pages.join(', ') : '(none declared: any page is accepted)'],
    [
      'send cap',
      app.dailySendCap === null ? `${DEFAULT_DAILY_SEND_CAP} a day (default)` : `${app.dailySendCap} a day`,
    ],
    ['created', app.createdAt],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(12)} ${v}`);
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
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      server: { type: 'string' },
    },
  });
  const [sub, appid, ...rest] = positionals;
  const config = configFromEnv(
    values['data-dir'] ? { ...process.env, BECKON_DATA_DIR: values['data-dir'] } : process.env,
  );
  const needAppid = () => {
    if (!appid) throw new Error(`app ${sub} needs an APPID`);
    return appid;
  };
  const admin = openAppAdmin(config, values.server);
  try {
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
        });
        break;
      }
      case 'list':
        result = await admin.list();
        break;
      case 'show':
        result = await admin.show(needAppid());
        break;
      case 'reset-secret':
        result = await admin.resetSecret(needAppid());
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

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'start':
      return start(configFromEnv());
    case 'app':
      return appCommand(args);
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
