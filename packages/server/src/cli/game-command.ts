import { parseArgs } from 'node:util';
import { type GameUpdateView, WHATS_NEW_PHRASES, type WhatsNewPhrase } from '@beckon/protocol';
import { adminFor } from './app-admin.js';

export const GAME_USAGE = `  game publish APPID --version VERSION --phrase PHRASE [--phrase PHRASE]...
                                         publish a mini game's version with 1 to 3 phrases of the fixed list
                                         (e.g. 新增关卡, 修复bug); players subscribed to game update reminders
                                         get one, at most one a day per game
  game updates APPID                     the game's published versions, newest first`;

function printUpdate(u: GameUpdateView): void {
  const phrases = u.phrases.map((p) => `${p} (${WHATS_NEW_PHRASES[p]})`).join(', ');
  console.log(
    `${u.publishedAt}  ${u.version.padEnd(12)}  reminded ${String(u.reminded).padEnd(6)}  ${phrases}`,
  );
}

/** `beckon game publish|updates`: through the running server's admin API, else the data dir. */
export async function gameCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      version: { type: 'string' },
      phrase: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      server: { type: 'string' },
    },
  });
  const [sub, appid, ...rest] = positionals;
  if (sub !== 'publish' && sub !== 'updates') throw new Error(`unknown game command: ${sub ?? '(none)'}`);
  if (!appid) throw new Error(`game ${sub} needs an APPID`);
  if (rest.length) throw new Error(`game ${sub} takes one APPID: ${rest.join(' ')}`);
  if (sub === 'publish' && !values.version) throw new Error('game publish needs --version VERSION');
  if (sub === 'publish' && !values.phrase?.length)
    throw new Error(
      `game publish needs --phrase PHRASE (1 to 3 of: ${Object.keys(WHATS_NEW_PHRASES).join(' ')})`,
    );
  const admin = adminFor(values);
  try {
    if (sub === 'publish') {
      // The server checks version and phrases (91000 naming the field), the same whichever way it is reached.
      const update = await admin.publishUpdate(appid, {
        version: values.version!,
        phrases: values.phrase as WhatsNewPhrase[],
      });
      if (values.json) console.log(JSON.stringify(update, null, 2));
      else {
        console.log(`published ${update.version} of ${update.appid} (${admin.via})`);
        printUpdate(update);
      }
      return;
    }
    const updates = await admin.updates(appid);
    if (values.json) console.log(JSON.stringify(updates, null, 2));
    else if (updates.length === 0) console.log('no updates published yet');
    else for (const u of updates) printUpdate(u);
  } finally {
    await admin.close();
  }
}
