// One "process" of a developer's backend: a client sharing its token through Redis. Runs the BUILT sdk
// (packages/sdk/dist), as a deployed backend would. Prints what it saw as one JSON line.
import { createClient, RedisTokenStore } from '../../../dist/index.js';

const env = process.env;
const tokenStore = new RedisTokenStore(env.REDIS_URL, { prefix: env.PREFIX });
const client = createClient({
  appId: env.APP_ID,
  appSecret: env.APP_SECRET,
  baseUrl: env.BASE_URL,
  tokenStore,
  useStableToken: env.STABLE === '1',
});

// Both processes start their burst at the same moment, so their first fetches really race.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(env.START_AT) - Date.now())));
const tokens = await Promise.all(Array.from({ length: 20 }, () => client.getAccessToken()));
await Promise.all(Array.from({ length: 5 }, () => client.templates.list()));
process.stdout.write(`${JSON.stringify({ tokens: [...new Set(tokens)] })}\n`);
await tokenStore.close();
