import type { SysMsgType } from '@beckon/protocol';

/** How the phone names a mini game's system message types (spec §4.5) in its dialog and settings. */
export const SYSTEM_TYPE_WORDS: Record<SysMsgType, { name: string; detail: string }> = {
  SYS_MSG_TYPE_INTERACTIVE: {
    name: 'Friend interaction reminders',
    detail: 'When a friend interacts with you in the game',
  },
  SYS_MSG_TYPE_RANK: {
    name: 'Leaderboard reminders',
    detail: 'When a friend passes your score on the leaderboard',
  },
  SYS_MSG_TYPE_WHATS_NEW: {
    name: 'Game update reminders',
    detail: 'When the game publishes a new version',
  },
};
