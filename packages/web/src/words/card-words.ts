import type { Lang, MiniprogramState } from '@beckon/protocol';

/** The card's link to its page, in the send's `lang` (spec §6.4). */
export const ENTER_MINI_PROGRAM: Record<Lang, string> = {
  zh_CN: '进入小程序查看',
  en_US: 'Enter Mini Program to view',
  zh_HK: '進入小程式查看',
  zh_TW: '進入小程式查看',
};

/** Cards sent to a version under development or test say so (`miniprogram_state`). */
export const STATE_BADGE: Record<MiniprogramState, string | null> = {
  developer: 'Developer version',
  trial: 'Trial version',
  formal: null,
};

const clock = (d: Date) => d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

/** A card's time as WeChat's thread shows it: the hour today, "Yesterday", the date this year, the year before. */
export function cardTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(now) - day(at)) / 86_400_000);
  if (days === 0) return clock(at);
  if (days === 1) return `Yesterday ${clock(at)}`;
  const date = at.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(at.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
  return `${date} ${clock(at)}`;
}
