import { BackendError, backend, failText, signIn, wxCall } from './backend.js';
import { renderBoard, SCORE_KEY, scoreValue } from './board.js';
import { playRound } from './play.js';
import { listenForTaps, onTap } from './taps.js';

/**
 * Star Hopper's page: the round, stamina and its "Stamina refilled" reminders (seed 001's two ways to
 * bank them: the "+1 reminder" button, and a question at each start that "Always keep the above choice"
 * turns into a silent +1), the game's system messages, the friends' board and "Send a star".
 */

const config = JSON.parse(document.querySelector('meta[name="game-config"]').content);
const TEMPLATE = config.staminaTemplateId;
const SYSTEM_TYPES = ['SYS_MSG_TYPE_INTERACTIVE', 'SYS_MSG_TYPE_RANK', 'SYS_MSG_TYPE_WHATS_NEW'];
const SYSTEM_NAMES = {
  SYS_MSG_TYPE_INTERACTIVE: "friends' stars",
  SYS_MSG_TYPE_RANK: 'rank overtakes',
  SYS_MSG_TYPE_WHATS_NEW: 'new versions',
};
/** Opened from a Service Notifications card (WeChat's scene value). */
const SCENE_CARD = 1014;

const $ = (id) => document.getElementById(id);
const ui = {
  pips: $('stamina-pips'),
  staminaText: $('stamina-text'),
  greeting: $('greeting'),
  field: $('field'),
  score: $('score'),
  timeLeft: $('time-left'),
  overlay: $('overlay'),
  overlayTitle: $('overlay-title'),
  overlayText: $('overlay-text'),
  start: $('start'),
  banked: $('banked'),
  keepState: $('keep-state'),
  plusOne: $('plus-one'),
  system: $('system'),
  systemState: $('system-state'),
  settings: $('settings'),
  board: $('board-list'),
  boardEmpty: $('board-empty'),
  status: $('status'),
};

const state = {
  /** `{openid, stamina, maxStamina, refillAt, banked}` from the backend */
  player: undefined,
  /** `subscriptionsSetting` from `wx.getSetting` */
  setting: undefined,
  best: 0,
  playing: false,
  /** The start's question is open. */
  asking: false,
  /** A subscribe request from "+1 reminder" is open. */
  subscribing: false,
  refreshing: false,
  /** Under the overlay's title when the bar is not empty: the rules, then the last round's result. */
  overlayText: '',
};

/** How long the status line stays: it floats over the page (style.css), so it goes once read. */
const SAY_MS = 6000;
let unsay;
const say = (text) => {
  ui.status.textContent = text;
  clearTimeout(unsay);
  unsay = setTimeout(() => {
    ui.status.textContent = '';
  }, SAY_MS);
};

// --- stamina and buttons -------------------------------------------------------------------------------

function countdown(iso) {
  const s = Math.max(0, Math.ceil((Date.parse(iso) - Date.now()) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function render() {
  const p = state.player;
  if (p) {
    ui.pips.replaceChildren(
      ...Array.from({ length: p.maxStamina }, (_, i) => {
        const pip = document.createElement('span');
        pip.className = i < p.stamina ? 'pip full' : 'pip';
        return pip;
      }),
    );
    ui.staminaText.textContent = `${p.stamina}/${p.maxStamina}${p.refillAt ? ` · full in ${countdown(p.refillAt)}` : ''}`;
    ui.banked.textContent = String(p.banked);
    ui.overlayText.textContent =
      p.stamina <= 0 && p.refillAt
        ? `Out of stamina: full again in ${countdown(p.refillAt)}`
        : state.overlayText;
  }
  ui.start.disabled = !p || state.playing || state.asking || p.stamina <= 0;
  ui.plusOne.disabled = !p || state.subscribing;
  ui.system.disabled = !p;
}

/** The backend's answers carry the player's fields (and others: `session`, `error`…): only those are kept. */
function showPlayer({ openid, stamina, maxStamina, refillAt, banked }) {
  const fields = { openid, stamina, maxStamina, refillAt, banked };
  for (const [key, value] of Object.entries(fields)) if (value === undefined) delete fields[key];
  state.player = { ...state.player, ...fields };
  render();
}

async function refreshPlayer() {
  if (state.refreshing) return;
  state.refreshing = true;
  try {
    showPlayer(await backend('GET', '/me'));
  } catch (err) {
    say(`Could not reach the game: ${failText(err)}`);
  } finally {
    state.refreshing = false;
  }
}

// Every second: the countdown; once the refill time has passed, the backend's word on it.
setInterval(() => {
  const refillAt = state.player?.refillAt;
  if (!refillAt) return;
  render();
  if (Date.parse(refillAt) <= Date.now()) refreshPlayer();
}, 1000);

// --- subscriptions -------------------------------------------------------------------------------------

const mainSwitchOn = () => state.setting?.mainSwitch !== false;
/** The player's kept choice for the stamina template ("Always keep the above choice"), if any. */
const keptChoice = () => state.setting?.itemSettings?.[TEMPLATE];

function renderSetting() {
  const kept = keptChoice();
  ui.keepState.textContent = !mainSwitchOn()
    ? 'reminders are switched off'
    : kept === 'accept'
      ? 'every start adds one'
      : kept === 'reject' || kept === 'ban'
        ? 'you chose not to be asked'
        : 'one card for each tap';
  ui.settings.hidden = mainSwitchOn() && kept !== 'reject' && kept !== 'ban';
  const accepted = SYSTEM_TYPES.filter((t) => state.setting?.itemSettings?.[t] === 'accept');
  ui.systemState.textContent =
    accepted.length > 0
      ? `On: ${accepted.map((t) => SYSTEM_NAMES[t]).join(', ')}`
      : "Friends' stars, rank overtakes and new versions";
  ui.system.classList.toggle('done', accepted.length === SYSTEM_TYPES.length);
}

/** What `wx.getSetting` says; a switch turned off empties the bank (the backend is told). */
async function refreshSetting() {
  try {
    const res = await wxCall('getSetting', { withSubscriptions: true });
    state.setting = res.subscriptionsSetting ?? { mainSwitch: true };
  } catch (err) {
    say(`Could not read the settings: ${failText(err)}`);
    return;
  }
  renderSetting();
  const refused = !mainSwitchOn() ? 'all' : keptChoice() === 'reject' ? [TEMPLATE] : undefined;
  if (!refused || !(state.player?.banked > 0)) return;
  try {
    showPlayer(await backend('POST', '/subscriptions/report', { refused }));
  } catch (err) {
    say(`Could not reach the game: ${failText(err)}`);
  }
}

/**
 * Asks for one "Stamina refilled" card. Call it synchronously inside the player's tap (`wx.onTouchEnd`)
 * or a modal's confirm callback: the request leaves at once. Resolves with the template's status
 * (`accept`, `reject`…) or `fail`.
 */
function subscribeStamina() {
  const request = wxCall('requestSubscribeMessage', { tmplIds: [TEMPLATE] });
  return request.then(
    async (result) => {
      try {
        showPlayer(await backend('POST', '/subscriptions/report', { result }));
      } catch (err) {
        say(`Could not bank the reminder: ${failText(err)}`);
      }
      // A ticked "Always keep the above choice" shows up here.
      await refreshSetting();
      return result[TEMPLATE] ?? 'fail';
    },
    (err) => {
      if (err?.errCode === 20004) {
        state.setting = { ...state.setting, mainSwitch: false };
        renderSetting();
        say('Reminders are switched off for Star Hopper: see Reminder settings');
      } else {
        say(`No reminder: ${failText(err)}`);
      }
      return 'fail';
    },
  );
}

onTap(ui.plusOne, () => {
  state.subscribing = true;
  render();
  subscribeStamina()
    .then((status) => {
      if (status === 'accept') say(`Reminder banked: ${state.player.banked} waiting`);
      else if (status !== 'fail') say('No reminder banked');
    })
    .finally(() => {
      state.subscribing = false;
      render();
    });
});

onTap(ui.system, () => {
  wxCall('requestSubscribeSystemMessage', { msgTypeList: SYSTEM_TYPES }).then(
    async (result) => {
      const on = SYSTEM_TYPES.filter((t) => result[t] === 'accept');
      say(
        on.length > 0
          ? `Game reminders on: ${on.map((t) => SYSTEM_NAMES[t]).join(', ')}`
          : 'No game reminders',
      );
      await refreshSetting();
    },
    (err) => say(`No game reminders: ${failText(err)}`),
  );
});

onTap(ui.settings, () => {
  wxCall('openSetting', { withSubscriptions: true }).then(
    () => refreshSetting(),
    (err) => say(`Could not open the settings: ${failText(err)}`),
  );
});

// --- a round ---------------------------------------------------------------------------------------------

onTap(ui.start, () => {
  if (state.playing || state.asking || !(state.player?.stamina > 0)) return;
  const kept = keptChoice();
  if (!mainSwitchOn() || kept === 'reject' || kept === 'ban') return startRound();
  if (kept === 'accept') {
    // Kept: no dialog, and still one more card (spec §4.2).
    subscribeStamina();
    return startRound();
  }
  state.asking = true;
  render();
  const done = () => {
    state.asking = false;
    startRound();
  };
  globalThis.wx.showModal({
    title: 'Remind me when my stamina refills?',
    content: 'Tick "Always keep the above choice" next, and every start adds a reminder without asking.',
    confirmText: 'Yes',
    cancelText: 'No',
    success: (res) => {
      // Inside the modal's callback the dialog may still be raised (spec §4.1).
      if (res.confirm) subscribeStamina().finally(done);
      else done();
    },
    fail: done,
  });
});

async function startRound() {
  if (state.playing) return;
  state.playing = true;
  render();
  try {
    showPlayer(await backend('POST', '/runs'));
  } catch (err) {
    state.playing = false;
    if (err instanceof BackendError && err.status === 409) {
      showPlayer(err.body);
      say('Out of stamina');
    } else {
      say(`Could not start: ${failText(err)}`);
      render();
    }
    return;
  }
  ui.overlay.hidden = true;
  ui.greeting.hidden = true;
  const score = await playRound(ui.field, {
    seconds: config.roundSeconds,
    onScore: (n) => {
      ui.score.textContent = String(n);
    },
    onTick: (s) => {
      ui.timeLeft.textContent = String(s);
    },
  });
  state.playing = false;
  const best = score > state.best;
  ui.overlayTitle.textContent = best ? `New best: ${score}!` : `Score: ${score}`;
  state.overlayText = best ? 'Your friends will see it on the board' : `Your best is ${state.best}`;
  ui.overlay.hidden = false;
  render();
  if (best) await reportScore(score);
}

/** The best score goes to the player's cloud storage, where friends' boards (and overtakes) read it. */
async function reportScore(score) {
  try {
    await wxCall('setUserCloudStorage', { KVDataList: [{ key: SCORE_KEY, value: scoreValue(score) }] });
    state.best = score;
  } catch (err) {
    say(`Could not save the score: ${failText(err)}`);
    return;
  }
  await loadBoard();
}

// --- friends -------------------------------------------------------------------------------------------

function sendStar(friend, button) {
  button.disabled = true;
  const name = friend.nickname || 'your friend';
  wxCall('modifyFriendInteractiveStorage', {
    key: '1',
    opNum: 1,
    operation: 'add',
    toUser: friend.openid,
    title: 'A star for you!',
  })
    .then(
      () => say(`Star sent to ${name}`),
      (err) => {
        if (failText(err) !== 'cancel') say(`Could not send the star: ${failText(err)}`);
      },
    )
    .finally(() => {
      button.disabled = false;
    });
}

async function loadBoard() {
  try {
    const { data } = await wxCall('getFriendCloudStorage', { keyList: [SCORE_KEY] });
    const list = Array.isArray(data) ? data : [];
    state.best = Math.max(state.best, renderBoard(ui.board, list, state.player?.openid, sendStar));
    ui.boardEmpty.hidden = list.some((entry) => entry.openid !== state.player?.openid);
  } catch (err) {
    say(`Could not load the board: ${failText(err)}`);
  }
}

// --- launch ----------------------------------------------------------------------------------------------

function greet(launch) {
  if (launch?.scene === SCENE_CARD) ui.greeting.hidden = false;
}

async function main() {
  state.overlayText = ui.overlayText.textContent;
  if (typeof globalThis.wx !== 'object' || globalThis.wx === null) {
    ui.overlayTitle.textContent = 'Open Star Hopper from Beckon';
    ui.overlayText.textContent = 'This page is a mini game: it runs inside the phone, which gives it wx.';
    return;
  }
  listenForTaps();
  greet(globalThis.wx.getLaunchOptionsSync?.());
  globalThis.wx.onShow?.((launch) => {
    greet(launch);
    if (state.player) refreshPlayer();
  });
  try {
    showPlayer(await signIn());
  } catch (err) {
    say(`Could not sign in: ${failText(err)}`);
    return;
  }
  await Promise.all([refreshSetting(), loadBoard()]);
}

main();
