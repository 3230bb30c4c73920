/**
 * One round: stars pop up on the field and hop away; a tap catches one (a gold one counts 3). Resolves with
 * the score when the time is up.
 */

const SPAWN_START_MS = 650;
const SPAWN_END_MS = 360;
const MAX_ON_FIELD = 4;
const GOLD_CHANCE = 0.15;

/**
 * @param {HTMLElement} field
 * @param {{ seconds: number, onScore: (score: number) => void, onTick: (secondsLeft: number) => void }} options
 * @returns {Promise<number>}
 */
export function playRound(field, { seconds, onScore, onTick }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const endsAt = started + seconds * 1000;
    let score = 0;
    let nextSpawn = started;
    const stars = new Set();

    const catchStar = (star, points) => {
      if (!stars.delete(star)) return;
      score += points;
      onScore(score);
      star.classList.add('caught');
      const pop = document.createElement('span');
      pop.className = 'points';
      pop.textContent = `+${points}`;
      pop.style.left = star.style.left;
      pop.style.top = star.style.top;
      field.append(pop);
      setTimeout(() => pop.remove(), 600);
      setTimeout(() => star.remove(), 220);
    };

    const spawn = (now) => {
      const gold = Math.random() < GOLD_CHANCE;
      const life = gold ? 850 : 1150;
      const star = document.createElement('button');
      star.type = 'button';
      star.className = gold ? 'star gold' : 'star';
      star.textContent = '★';
      star.setAttribute('aria-label', gold ? 'Gold star' : 'Star');
      // Kept clear of the edges and the score line.
      star.style.left = `${10 + Math.random() * 80}%`;
      star.style.top = `${18 + Math.random() * 72}%`;
      star.style.setProperty('--life', `${life}ms`);
      const points = gold ? 3 : 1;
      star.addEventListener('pointerdown', (e) => {
        e.preventDefault();
        catchStar(star, points);
      });
      // A keyboard press (no pointer) catches it too.
      star.addEventListener('click', (e) => e.detail === 0 && catchStar(star, points));
      star.dataset.until = String(now + life);
      stars.add(star);
      field.append(star);
    };

    const tick = (now) => {
      for (const star of stars) {
        if (Number(star.dataset.until) <= now) {
          stars.delete(star);
          star.remove();
        }
      }
      if (now >= endsAt) {
        for (const star of stars) star.remove();
        stars.clear();
        onTick(0);
        resolve(score);
        return;
      }
      onTick(Math.ceil((endsAt - now) / 1000));
      if (now >= nextSpawn && stars.size < MAX_ON_FIELD) {
        spawn(now);
        // Faster as the round goes on.
        const progress = (now - started) / (endsAt - started);
        nextSpawn = now + SPAWN_START_MS + (SPAWN_END_MS - SPAWN_START_MS) * progress;
      }
      requestAnimationFrame(tick);
    };
    onScore(0);
    requestAnimationFrame(tick);
  });
}
