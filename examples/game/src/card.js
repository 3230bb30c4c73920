/** The game's name, as the card's 游戏名称 shows it (a `thing`: at most 20 characters). */
export const GAME_NAME = 'Star Hopper';

/** The card's 温馨提示 unless the developer words it otherwise (a `thing`: at most 20 characters). */
export const DEFAULT_TIP = 'Full stamina, hop in';

/**
 * A mini game's card needs a page to open the game at all (a card without one opens nothing); the game
 * gets no query from it (spec §6.4), only scene 1014, so this is just the game's start.
 */
export const CARD_PAGE = 'index';

/**
 * 体力恢复提醒 "Stamina refilled" (tid 2001, kidList [1,2,3,4]): game (thing), stamina (number),
 * refilled at (time), tip (thing).
 *
 * @example staminaCardData({ stamina: 5, at: '21:30' })
 *   // { thing1: {value: 'Star Hopper'}, number2: {value: '5'}, time3: {value: '21:30'}, thing4: {…} }
 */
export const staminaCardData = ({ stamina, at, tip = DEFAULT_TIP }) => ({
  thing1: { value: GAME_NAME },
  number2: { value: String(stamina) },
  time3: { value: at },
  thing4: { value: tip },
});

/** `HH:mm` (24-hour) in `timeZone`: a value the `time` keyword rule takes, as the library's example. */
export const clockTime = (ms, timeZone) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    ms,
  );
