import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { configFromEnv } from '../config.js';
import { DEFAULT_TURN_TTL_SECONDS, iceConfigFromEnv, iceServersFor, turnRestCredential } from './ice.js';

const NOW = 1_700_000_000_123; // 2023-11-14T22:13:20.123Z
const config = (env: NodeJS.ProcessEnv) => ({ ice: iceConfigFromEnv(env) });

describe('turnRestCredential', () => {
  test('is base64(HMAC-SHA1(secret, username)): RFC 2202 test case 2', () => {
    // RFC 2202 §3, test_case 2: key "Jefe", data "what do ya want for nothing?",
    // digest 0xeffcdf6ae5eb2fa2d27416d5f184df9c259a7c79 (base64 below).
    expect(Buffer.from('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79', 'hex').toString('base64')).toBe(
      '7/zfauXrL6LSdBbV8YTfnCWafHk=',
    );
    expect(turnRestCredential('Jefe', 'what do ya want for nothing?')).toBe('7/zfauXrL6LSdBbV8YTfnCWafHk=');
  });

  test('a coturn REST username, checked against openssl', () => {
    // printf '1700086400:alice' | openssl dgst -sha1 -hmac 'north-pole-secret' -binary | base64
    expect(turnRestCredential('north-pole-secret', '1700086400:alice')).toBe('SBwK4ogzFQ8RhT49jZKOyHuVTsc=');
  });
});

describe('iceServersFor', () => {
  test('nothing configured: no servers (host candidates do on loopback and LAN)', () => {
    expect(iceServersFor(config({}), 'alice', NOW)).toEqual([]);
    expect(configFromEnv({}).ice).toEqual({ servers: [], turn: undefined });
  });

  test('static servers are handed out as configured', () => {
    const servers = [
      { urls: 'stun:stun.example.com:3478' },
      { urls: ['turn:turn.example.com:3478', 'turns:turn.example.com:5349'], username: 'u', credential: 'p' },
    ];
    const c = config({ BECKON_ICE_SERVERS: JSON.stringify(servers) });
    expect(iceServersFor(c, 'alice', NOW)).toEqual(servers);
    // Callers get copies: changing one never changes what the next login gets.
    iceServersFor(c, 'alice', NOW)[0]!.urls = 'stun:evil';
    expect(iceServersFor(c, 'bob', NOW)).toEqual(servers);
  });

  test('with a TURN secret: one more entry, username <expiry>:<userId>, coturn credential', () => {
    const c = config({
      BECKON_ICE_SERVERS: '[{"urls":"stun:stun.example.com"}]',
      BECKON_TURN_URLS: 'turn:turn.example.com:3478?transport=udp, turns:turn.example.com:5349',
      BECKON_TURN_SECRET: 'north-pole-secret',
    });
    const servers = iceServersFor(c, 'alice', NOW);
    const expiry = 1_700_000_000 + DEFAULT_TURN_TTL_SECONDS;
    expect(expiry).toBe(1_700_086_400);
    expect(servers).toEqual([
      { urls: 'stun:stun.example.com' },
      {
        urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
        username: '1700086400:alice',
        credential: 'SBwK4ogzFQ8RhT49jZKOyHuVTsc=',
      },
    ]);
    // Computed independently with node:crypto, for another user, time and TTL.
    const short = config({
      BECKON_TURN_URLS: 'turn:t.example',
      BECKON_TURN_SECRET: 's3cr3t',
      BECKON_TURN_TTL: '600',
    });
    const [turn] = iceServersFor(short, 'bob_2', 1_800_000_000_999);
    expect(turn?.username).toBe('1800000600:bob_2');
    expect(turn?.credential).toBe(createHmac('sha1', 's3cr3t').update('1800000600:bob_2').digest('base64'));
  });

  test('bad settings stop the start with a message naming the variable', () => {
    const fails = (env: NodeJS.ProcessEnv, message: RegExp) =>
      expect(() => configFromEnv(env)).toThrow(message);
    fails({ BECKON_ICE_SERVERS: '[{urls:' }, /^BECKON_ICE_SERVERS must be a JSON array .*: not JSON/);
    fails({ BECKON_ICE_SERVERS: '{"urls":"stun:a"}' }, /BECKON_ICE_SERVERS .*: not an array/);
    fails({ BECKON_ICE_SERVERS: '["stun:a"]' }, /BECKON_ICE_SERVERS .*: \[0\] is not an object/);
    fails({ BECKON_ICE_SERVERS: '[{"url":"stun:a"}]' }, /BECKON_ICE_SERVERS .*: \[0\] has unknown key "url"/);
    fails({ BECKON_ICE_SERVERS: '[{"urls":[]}]' }, /\[0\]\.urls must be a URL or a non-empty array/);
    fails(
      { BECKON_ICE_SERVERS: '[{"urls":"http://a"}]' },
      /"http:\/\/a" is not a stun:, stuns:, turn: or turns: URL/,
    );
    fails(
      { BECKON_ICE_SERVERS: '[{"urls":"turn:a"}]' },
      /\[0\] is a TURN server: it needs username and credential/,
    );
    fails({ BECKON_ICE_SERVERS: '[{"urls":"stun:a","username":1}]' }, /\[0\]\.username must be a string/);
    fails({ BECKON_TURN_SECRET: 'x' }, /^BECKON_TURN_SECRET is set but BECKON_TURN_URLS is not/);
    fails({ BECKON_TURN_URLS: 'turn:a' }, /^BECKON_TURN_URLS is set but BECKON_TURN_SECRET .* is not/);
    fails({ BECKON_TURN_URLS: 'stun:a', BECKON_TURN_SECRET: 'x' }, /turn: or turns: URLs, got "stun:a"/);
    fails({ BECKON_TURN_TTL: '60' }, /^BECKON_TURN_TTL is set but/);
    for (const ttl of ['0', '-5', '1.5', '1e3', 'day', '2592001'])
      fails(
        { BECKON_TURN_URLS: 'turn:a', BECKON_TURN_SECRET: 'x', BECKON_TURN_TTL: ttl },
        /^BECKON_TURN_TTL must be/,
      );
    expect(configFromEnv({ BECKON_ICE_SERVERS: '  ' }).ice.servers).toEqual([]);
  });
});
