import type { AppType } from '@beckon/protocol';

/**
 * The demo's people and sample apps: what `beckon start` sets up on a fresh data dir bound to loopback.
 * The samples live in the repository's `examples/` (examples/shop, examples/game); each one's templates
 * are the ones its code fills (examples/shop/src/cards.js, examples/game/src/card.js), and it gets their ids
 * in its environment.
 */

/** Passwords printed in the banner and the READMEs: the demo runs on loopback only. */
export const DEMO_USERS = [
  { username: 'alice', password: 'alice-demo', displayName: 'Alice' },
  { username: 'bob', password: 'bob-demo', displayName: 'Bob' },
] as const;

export interface SampleTemplate {
  /** The name the sample knows it by; its id goes to the sample in `env`. */
  name: string;
  env: string;
  tid: number;
  kidList: number[];
  sceneDesc: string;
}

export interface SampleApp {
  /** The sample's folder in `examples/`, and its name in demo.json. */
  name: string;
  appName: string;
  type: AppType;
  templates: SampleTemplate[];
  /** Declared pages (a send's `page` must be one of them); none for a mini game. */
  pages: string[];
  /** Message push to the sample's `/push`. */
  push: boolean;
  /** What the phone opens and shows, relative to where the sample listens. */
  frontendPath: string;
  iconPath: string;
  /** Started as `node <entry>` in the sample's folder; it prints `listening at <url>` once it listens. */
  entry: string;
}

export const SAMPLE_APPS: SampleApp[] = [
  {
    name: 'shop',
    appName: 'Demo Shop',
    type: 'miniprogram',
    templates: [
      {
        name: 'shipped',
        env: 'SHIPPED_TEMPLATE_ID',
        tid: 1101,
        kidList: [1, 2, 3, 4, 5],
        sceneDesc: '订单发货',
      },
      {
        name: 'delivered',
        env: 'DELIVERED_TEMPLATE_ID',
        tid: 1203,
        kidList: [1, 3, 4, 5],
        sceneDesc: '订单签收',
      },
      {
        name: 'reminder',
        env: 'REMINDER_TEMPLATE_ID',
        tid: 1302,
        kidList: [1, 2, 3, 4],
        sceneDesc: '预约提醒',
      },
    ],
    pages: ['pages/index/index', 'pages/order/order', 'pages/order/detail'],
    push: true,
    frontendPath: '/',
    iconPath: '/icon.svg',
    entry: 'src/main.js',
  },
  {
    name: 'game',
    appName: 'Star Hopper',
    type: 'minigame',
    templates: [
      {
        name: 'stamina',
        env: 'STAMINA_TEMPLATE_ID',
        tid: 2001,
        kidList: [1, 2, 3, 4],
        sceneDesc: '体力恢复',
      },
      { name: 'match', env: 'MATCH_TEMPLATE_ID', tid: 2003, kidList: [1, 2, 3, 4], sceneDesc: '赛事开始' },
    ],
    pages: [],
    push: false,
    frontendPath: '/',
    iconPath: '/icon.svg',
    entry: 'src/main.js',
  },
];
