/**
 * The friends' board: the player and the friends who play, from `wx.getFriendCloudStorage`, best score
 * first, each friend with "Send a star". Names and avatars come from other people: text only, and an
 * avatar only from an http(s) URL.
 */

/** The cloud-storage key of the score; its value is `{"wxgame":{"score":n,"update_time":t}}`. */
export const SCORE_KEY = 'score';

/** The score in a player's `KVDataList`, or 0. */
export function scoreOf(kvDataList) {
  const kv = (kvDataList ?? []).find((item) => item?.key === SCORE_KEY);
  try {
    const score = JSON.parse(kv?.value ?? '{}')?.wxgame?.score;
    return Number.isInteger(score) && score >= 0 ? score : 0;
  } catch {
    return 0;
  }
}

/** The value `wx.setUserCloudStorage` stores for a score (WeChat's ranking format). */
export const scoreValue = (score, now = Date.now()) =>
  JSON.stringify({ wxgame: { score, update_time: Math.floor(now / 1000) } });

function avatar(entry) {
  const name = entry.nickname || '?';
  if (/^https?:\/\//i.test(entry.avatarUrl ?? '')) {
    const img = document.createElement('img');
    img.className = 'avatar';
    img.src = entry.avatarUrl;
    img.alt = '';
    return img;
  }
  const initial = document.createElement('span');
  initial.className = 'avatar';
  initial.setAttribute('aria-hidden', 'true');
  initial.textContent = [...name][0].toUpperCase();
  return initial;
}

/**
 * Draws the board into `list`; `onStar(entry, button)` when a friend's "Send a star" is tapped. Answers
 * the player's own best score.
 *
 * @param {HTMLOListElement} list
 * @param {{openid: string, nickname: string, avatarUrl: string, KVDataList: {key: string, value: string}[]}[]} data
 */
export function renderBoard(list, data, myOpenid, onStar) {
  const rows = data
    .map((entry) => ({ entry, score: scoreOf(entry.KVDataList) }))
    .sort((a, b) => b.score - a.score);
  list.replaceChildren(
    ...rows.map(({ entry, score }, i) => {
      const me = entry.openid === myOpenid;
      const li = document.createElement('li');
      if (me) li.className = 'me';
      const rank = document.createElement('span');
      rank.className = 'rank';
      rank.textContent = String(i + 1);
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = me ? `${entry.nickname || 'You'} (you)` : entry.nickname || 'A friend';
      const best = document.createElement('span');
      best.className = 'best';
      best.textContent = String(score);
      li.append(rank, avatar(entry), name, best);
      if (!me) {
        const star = document.createElement('button');
        star.type = 'button';
        star.className = 'send-star';
        star.textContent = 'Send ★';
        star.setAttribute('aria-label', `Send a star to ${entry.nickname || 'a friend'}`);
        star.addEventListener('click', () => onStar(entry, star));
        li.append(star);
      } else {
        li.append(document.createElement('span'));
      }
      return li;
    }),
  );
  return rows.find(({ entry }) => entry.openid === myOpenid)?.score ?? 0;
}
