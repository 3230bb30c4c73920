import { randomInt } from 'node:crypto';
import { SDKAPPID_MAX, SDKAPPID_MIN } from '@beckon/protocol';
import { afterEach, beforeEach } from 'vitest';
import { randomHex } from '../../ids.js';
import type {
  AppRecord,
  AppUserRecord,
  LoginCodeRecord,
  PrivateTemplateRecord,
  SessionRecord,
  Store,
  TokenFamily,
  TokenRecord,
  UserRecord,
} from '../port.js';

export type OpenStore = () => Promise<Store> | Store;

/** A fresh store for every test of the enclosing `describe`, closed after it. */
export interface StoreFixture {
  readonly store: Store;
}

export function storeFixture(open: OpenStore): StoreFixture {
  let current: Store | undefined;
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    get store(): Store {
      if (!current) throw new Error('no store: use the fixture inside a test');
      return current;
    },
  };
}

/** A fixed instant, so records compare exactly. */
export const T0 = Date.UTC(2026, 0, 1, 4);
const HOUR = 3600_000;

export function appRecord(overrides: Partial<AppRecord> = {}): AppRecord {
  return {
    appid: `wx${randomHex(8)}`,
    secret: randomHex(16),
    name: 'Conformance app',
    type: 'miniprogram',
    originalId: `gh_${randomHex(6)}`,
    owner: 'owner-1',
    subscribeBanned: false,
    pages: [],
    dailySendCap: null,
    icon: null,
    frontend: null,
    createdAt: T0,
    sdkAppId: randomInt(SDKAPPID_MIN, SDKAPPID_MAX + 1),
    rtcSecretKey: randomHex(32),
    ...overrides,
  };
}

export function tokenRecord(
  appid: string,
  overrides: Partial<Omit<TokenRecord, 'appid'>> & { family?: TokenFamily } = {},
): TokenRecord {
  const issuedAt = overrides.issuedAt ?? T0;
  return {
    token: `tok_${randomHex(24)}`,
    appid,
    family: 'token',
    issuedAt,
    expiresAt: issuedAt + 2 * HOUR,
    validUntil: issuedAt + 2 * HOUR,
    ...overrides,
  };
}

export function userRecord(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: `u_${randomHex(8)}`,
    username: `user_${randomHex(4)}`,
    displayName: 'Conformance User',
    passwordHash: `scrypt$16384$8$1$${randomHex(16)}$${randomHex(32)}`,
    createdAt: T0,
    ...overrides,
  };
}

export function sessionRecord(userId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return { tokenHash: randomHex(32), userId, createdAt: T0, expiresAt: T0 + 24 * HOUR, ...overrides };
}

export function loginCodeRecord(
  appid: string,
  userId: string,
  overrides: Partial<LoginCodeRecord> = {},
): LoginCodeRecord {
  return {
    code: randomHex(16),
    appid,
    userId,
    createdAt: T0,
    expiresAt: T0 + 300_000,
    usedAt: null,
    ...overrides,
  };
}

export function appUserRecord(
  appid: string,
  userId: string,
  overrides: Partial<AppUserRecord> = {},
): AppUserRecord {
  return {
    appid,
    userId,
    openid: `o${randomHex(14)}`,
    unionid: `o${randomHex(14)}`,
    sessionKey: randomHex(16),
    createdAt: T0,
    ...overrides,
  };
}

export function templateRecord(
  appid: string,
  overrides: Partial<PrivateTemplateRecord> = {},
): PrivateTemplateRecord {
  return {
    priTmplId: randomHex(21),
    appid,
    tid: 1234,
    title: '订单发货提醒',
    type: 2,
    sceneDesc: 'Tell the buyer the parcel left',
    keywords: [
      { kid: 1, key: 'thing1', name: '商品名称', rule: 'thing', example: '咖啡豆' },
      {
        kid: 3,
        key: 'phrase3',
        name: '订单状态',
        rule: 'phrase',
        example: '已发货',
        enumValues: ['已发货', '已签收'],
      },
    ],
    createdAt: T0,
    ...overrides,
  };
}

/** Creates an app and a user, the parents most records hang from. */
export async function appAndUser(store: Store): Promise<{ app: AppRecord; user: UserRecord }> {
  const app = appRecord();
  const user = userRecord();
  if (!(await store.apps.create(app))) throw new Error('fixture app not created');
  if (!(await store.accounts.createUser(user))) throw new Error('fixture user not created');
  return { app, user };
}

/** Counts of each distinct value, e.g. `tally([true, false, false])` → `Map {true → 1, false → 2}`. */
export function tally<T>(values: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
