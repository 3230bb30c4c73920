import { configFromEnv } from './config.js';
import { startGame } from './game-server.js';

/** `node src/main.js`: the game's page and backend, configured from the environment (see README.md). */
const config = configFromEnv();
const game = await startGame(config);
console.log(`game listening at ${game.url} (Beckon at ${config.beckonUrl}, data in ${config.dataDir})`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  game.close().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
};
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, stop);
