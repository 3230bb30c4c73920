export { MemoryBus } from './bus/memory.js';
export type { Bus } from './bus/port.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export { type Config, configFromEnv, defaultLimits } from './config.js';
export type { Context } from './context.js';
export { type DispatcherOptions, PushDispatcher } from './events/dispatcher.js';
export { buildServer } from './server.js';
export type { Store } from './store/port.js';
export { openSqliteStore } from './store/sqlite/index.js';
