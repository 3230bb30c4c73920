import { configFromEnv } from './config.js';
import { startShop } from './shop.js';

/** `node src/main.js`: the shop, configured from the environment (see README.md). */
const config = configFromEnv();
const shop = await startShop(config);
console.log(`shop listening at ${shop.url} (Beckon at ${config.beckonUrl}, data in ${config.dataDir})`);
console.log(`front end (register it with Beckon): ${shop.url}/  icon: ${shop.url}/icon.svg`);
if (config.pushToken) console.log(`message push URL: ${shop.url}/push`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    shop.close().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
