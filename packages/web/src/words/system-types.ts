import { SYS_MSG_TYPE_NAMES, type SysMsgType } from '@beckon/protocol';

/** What each of a mini game's reminder types does, said under its name (SYS_MSG_TYPE_NAMES). */
const DETAILS: Record<SysMsgType, string> = {
  SYS_MSG_TYPE_INTERACTIVE: 'When a friend interacts with you in the game',
  SYS_MSG_TYPE_RANK: 'When a friend passes your score on the leaderboard',
  SYS_MSG_TYPE_WHATS_NEW: 'When the game publishes a new version',
};

/** How the phone names a reminder type (spec §4.5) in its dialog and settings, and what it says under it. */
export const systemTypeWords = (type: SysMsgType): { name: string; detail: string } => ({
  name: SYS_MSG_TYPE_NAMES[type].en,
  detail: DETAILS[type],
});
