import {
  api,
  BASE,
  clock,
  duration,
  goBack,
  h,
  openPage,
  showProblem,
  startPage,
  wxCall,
  yuan,
} from '../../shop.js';

/**
 * One item and its Order button. The tap on Order calls `wx.requestSubscribeMessage` for the shop's two
 * cards ("order shipped" and "delivered") in that very tap (the platform's dialog only opens for a tap),
 * shows what the user chose, reports it to the shop's backend, then places the order.
 */

const CARDS = {
  shipped: { title: '订单发货提醒', en: 'Order shipped' },
  delivered: { title: '签收成功通知', en: 'Parcel delivered' },
};
/** The answers `wx.requestSubscribeMessage` gives per template, for people. */
const CHOICES = {
  accept: 'Allowed',
  reject: 'Refused',
  ban: 'Blocked by the platform',
  filter: 'Left out (same title)',
};
/** Kept choices in `wx.getSetting`'s `itemSettings`. */
const KEPT = { accept: 'always allowed', reject: 'always refused', ban: 'blocked' };

const page = document.getElementById('page');

startPage(async (openid) => {
  const itemId = new URLSearchParams(location.search).get('item');
  const { items, templates, shipAfterMs, deliverAfterMs } = await api('catalogue');
  const item = items.find((i) => i.id === itemId);
  if (!item) {
    page.replaceChildren(
      h('p', { class: 'notice' }, 'This item is not sold here.'),
      h('button', { class: 'secondary', onclick: goBack }, 'Back to the shop'),
    );
    return;
  }
  const steps = Object.keys(CARDS);
  const tmplIds = steps.map((step) => templates[step]);
  const report = (body) =>
    api('subscriptions/report', { method: 'POST', body: { openid, ...body } }).catch(showProblem);

  const settings = h('p', { class: 'muted' });
  const orderButton = h('button', { class: 'primary', onclick: order }, `Order · ${yuan(item.price)}`);
  const result = h('section', { 'aria-live': 'polite' });
  page.replaceChildren(
    h(
      'section',
      { class: 'panel item-head' },
      h('img', { src: new URL(`items/${item.picture}`, BASE), alt: '' }),
      h(
        'div',
        {},
        h('h1', {}, item.name),
        h('span', { class: 'sub' }, item.nameEn),
        h('span', { class: 'price' }, yuan(item.price)),
      ),
    ),
    h('h2', {}, 'Notifications'),
    h(
      'section',
      { class: 'panel' },
      h(
        'p',
        {},
        'When you tap Order, Beckon asks whether Demo Shop may send you these cards, one each per order:',
      ),
      h(
        'ul',
        { class: 'templates' },
        h(
          'li',
          {},
          `${CARDS.shipped.title} · ${CARDS.shipped.en}`,
          h('span', { class: 'sub' }, `when it ships: about ${duration(shipAfterMs)} after you order`),
        ),
        h(
          'li',
          {},
          `${CARDS.delivered.title} · ${CARDS.delivered.en}`,
          h('span', { class: 'sub' }, `when it arrives: about ${duration(deliverAfterMs)} after it ships`),
        ),
      ),
      settings,
    ),
    orderButton,
    result,
  );
  page.removeAttribute('aria-busy');

  /** The user's kept choices and main switch (`wx.getSetting`), said on the page and told to the shop. */
  async function readSettings() {
    let setting;
    try {
      ({ subscriptionsSetting: setting } = await wxCall('getSetting', { withSubscriptions: true }));
    } catch {
      return; // Nothing to say: the dialog will tell.
    }
    const openSettings = h('button', { class: 'link', onclick: changeSettings }, 'Notification settings');
    if (setting && !setting.mainSwitch) {
      settings.replaceChildren('Notifications from Demo Shop are off: no card will come. ', openSettings);
      void report({ refused: 'all' });
      return;
    }
    const items = setting?.itemSettings ?? {};
    const kept = steps.filter((step) => items[templates[step]]);
    settings.replaceChildren(
      kept.length
        ? `Your kept choice: ${kept.map((s) => `${CARDS[s].en} ${KEPT[items[templates[s]]] ?? items[templates[s]]}`).join(', ')}. `
        : '',
      openSettings,
    );
    const refused = kept.filter((s) => items[templates[s]] !== 'accept').map((s) => templates[s]);
    if (refused.length) void report({ refused });
  }
  /** `wx.openSetting` (in a tap, as the platform requires): the settings page, then a fresh look. */
  function changeSettings() {
    wxCall('openSetting').then(readSettings, showProblem);
  }
  void readSettings();
  // Back in front after the phone's settings page (the capsule's "…"): what the person changed shows.
  wx.onShow(() => void readSettings());

  function order() {
    orderButton.disabled = true;
    showProblem();
    // In the tap itself: the platform opens its dialog only for a call made in a user's tap.
    const asked = wxCall('requestSubscribeMessage', { tmplIds }).then(
      (answer) => ({ answer }),
      (failure) => ({ failure }),
    );
    void place(asked);
  }

  async function place(asked) {
    const { answer, failure } = await asked;
    const chosen = h('section', { class: 'panel' });
    if (answer) {
      chosen.append(
        h(
          'ul',
          { class: 'templates', 'aria-label': 'Your choice' },
          steps.map((step) => {
            const choice = answer[templates[step]];
            return h(
              'li',
              {},
              CARDS[step].en,
              h('span', { class: `choice ${choice}` }, CHOICES[choice] ?? 'Not asked'),
            );
          }),
        ),
      );
      await report({ result: answer });
    } else {
      const code = failure?.errCode === undefined ? '' : ` (${failure.errCode})`;
      chosen.append(h('p', {}, `No cards for this order: ${failure?.errMsg ?? failure}${code}`));
    }
    result.replaceChildren(h('h2', {}, 'You chose'), chosen);
    try {
      const { order: placed } = await api('orders', { method: 'POST', body: { openid, itemId: item.id } });
      result.append(
        h(
          'p',
          { class: 'notice' },
          `Order ${placed.id} is placed. It ships at about ${clock(placed.shipAt)}; a card says so if you allowed it.`,
        ),
        h(
          'button',
          {
            class: 'secondary',
            onclick: () => openPage(`/pages/order/detail?id=${encodeURIComponent(placed.id)}`),
          },
          'View order',
        ),
      );
      orderButton.textContent = `Order another · ${yuan(item.price)}`;
    } catch (err) {
      showProblem(err);
    }
    orderButton.disabled = false;
    void readSettings();
  }
});
