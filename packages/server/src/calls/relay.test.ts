import { describe, expect, test } from 'vitest';
import type { CallMemberRecord } from '../store/port.js';
import { mayRelay } from './relay.js';

const member = (userId: string, leftAt: number | null = null): CallMemberRecord => ({
  userId,
  sessionId: `${userId}#1`,
  joinedAt: 0,
  leftAt,
  nodeId: 'node-1',
  video: null,
  audio: null,
});

describe('mayRelay: only between members of the same running call', () => {
  const call = { endedAt: null, members: [member('alice'), member('bob'), member('carol', 5)] };

  test('two members in the call: yes, both ways', () => {
    expect(mayRelay(call, 'alice', 'bob')).toBe(true);
    expect(mayRelay(call, 'bob', 'alice')).toBe(true);
  });

  test('to or from someone who left, an outsider, oneself, an ended or unknown call: no', () => {
    expect(mayRelay(call, 'alice', 'carol')).toBe(false);
    expect(mayRelay(call, 'carol', 'alice')).toBe(false);
    expect(mayRelay(call, 'alice', 'mallory')).toBe(false);
    expect(mayRelay(call, 'mallory', 'alice')).toBe(false);
    expect(mayRelay(call, 'alice', 'alice')).toBe(false);
    expect(mayRelay({ ...call, endedAt: 10 }, 'alice', 'bob')).toBe(false);
    expect(mayRelay(undefined, 'alice', 'bob')).toBe(false);
  });
});
