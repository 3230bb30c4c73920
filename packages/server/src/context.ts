import type { Bus } from './bus/port.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Store } from './store/port.js';

/** What every domain function is given: the ports, the clock and the configuration. */
export interface Context {
  store: Store;
  bus: Bus;
  clock: Clock;
  config: Config;
}
