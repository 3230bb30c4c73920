import { randomBytes } from 'node:crypto';
import { register } from '../accounts/users.js';
import { createApp, setPages } from '../apps/service.js';
import type { Context } from '../context.js';
import { addFriend } from '../friends/friends.js';
import { randomHex } from '../ids.js';
import { addTemplate } from '../templates/service.js';
import { type DemoAppRecord, type DemoRecord, writeDemoRecord } from './record.js';
import { DEMO_USERS, SAMPLE_APPS } from './samples.js';

/**
 * Sets the demo up on a fresh data dir, once: its two users, friends of each other, and the sample apps
 * with their templates and pages, all through the domain's own functions; then `demo.json` says it is done.
 * A failure stops the start (the data dir then holds part of it: remove it, or start with BECKON_DEMO=0).
 */
export async function provisionDemo(ctx: Context): Promise<DemoRecord> {
  const users = [];
  for (const user of DEMO_USERS) users.push(await register(ctx, user));
  // Friends of each other: one adds the others, and the platform makes it mutual.
  const [first, ...rest] = users;
  for (const other of rest) await addFriend(ctx, first!, other.username);
  const apps: Record<string, DemoAppRecord> = {};
  for (const sample of SAMPLE_APPS) {
    const app = await createApp(ctx, { name: sample.appName, type: sample.type, owner: 'demo' });
    const templates: Record<string, string> = {};
    for (const t of sample.templates)
      templates[t.name] = await addTemplate(ctx, app, {
        tid: t.tid,
        kidList: t.kidList,
        sceneDesc: t.sceneDesc,
      });
    if (sample.pages.length > 0) await setPages(ctx, app.appid, sample.pages);
    apps[sample.name] = {
      appid: app.appid,
      templates,
      // A Token of letters and digits, and an EncodingAESKey: 43 characters of base64.
      ...(sample.push
        ? { push: { token: randomHex(16), encodingAESKey: randomBytes(32).toString('base64').slice(0, 43) } }
        : {}),
    };
  }
  const record: DemoRecord = {
    version: 1,
    users: DEMO_USERS.map(({ username, password }) => ({ username, password })),
    apps,
  };
  writeDemoRecord(ctx.config.dataDir, record);
  return record;
}
