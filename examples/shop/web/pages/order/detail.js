import { api, clock, goBack, h, launchOptions, showProblem, startPage, yuan } from '../../shop.js';

/**
 * An order (`pages/order/detail?id=…`): the page a card of the shop opens. Where the order is (paid,
 * shipped, delivered), the item, the carrier and tracking number, and what became of each card. It follows
 * the order while it is on its way.
 */

/** The card a Service Notifications card opens the app with (WeChat's scene 1014). */
const SCENE_CARD = 1014;
const page = document.getElementById('page');

function cardLine(outcome) {
  if (!outcome) return h('dd', { class: 'muted' }, 'not yet');
  return h('dd', {}, outcome.sent ? `sent (msgid ${outcome.msgid})` : `not sent: ${outcome.reason}`);
}

function draw(order, fromCard) {
  const step = (done, label, at, waiting) =>
    h(
      'li',
      { class: done ? 'done' : '' },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('span', {}, label, h('span', { class: 'sub' }, done ? clock(at) : waiting)),
    );
  page.replaceChildren(
    fromCard ? h('p', { class: 'notice' }, 'Opened from your Service Notifications.') : '',
    h(
      'section',
      { class: 'panel item-head' },
      h(
        'div',
        {},
        h('h1', {}, order.item),
        h('span', { class: 'sub' }, `Order ${order.id}`),
        h('span', { class: 'price' }, yuan(order.price)),
      ),
    ),
    h('h2', {}, 'Status'),
    h(
      'ol',
      { class: 'panel steps', 'aria-label': 'Status' },
      step(true, 'Paid', order.placedAt),
      step(order.status !== 'paid', 'Shipped', order.shippedAt, `about ${clock(order.shipAt)}`),
      step(
        order.status === 'delivered',
        'Delivered',
        order.deliveredAt,
        order.deliverAt ? `about ${clock(order.deliverAt)}` : 'after it ships',
      ),
    ),
    h('h2', {}, 'Delivery'),
    h(
      'dl',
      { class: 'panel' },
      h('dt', {}, 'Carrier'),
      h('dd', {}, order.carrier),
      h('dt', {}, 'Tracking'),
      h('dd', {}, order.trackingNumber),
      h('dt', {}, 'Shipped card'),
      cardLine(order.cards.shipped),
      h('dt', {}, 'Delivered card'),
      cardLine(order.cards.delivered),
    ),
    // From a card the order is the first page: back is then the shop's home.
    h('button', { class: 'secondary', onclick: goBack }, fromCard ? 'Back to the shop' : 'Back'),
  );
  page.removeAttribute('aria-busy');
}

startPage(async (openid) => {
  const id = new URLSearchParams(location.search).get('id') ?? '';
  const launch = launchOptions();
  const fromCard =
    launch?.scene === SCENE_CARD && launch.path === 'pages/order/detail' && launch.query?.id === id;
  const look = async () => {
    try {
      const { order } = await api(`orders/${encodeURIComponent(id)}?openid=${encodeURIComponent(openid)}`);
      draw(order, fromCard);
      showProblem();
      if (order.status !== 'delivered') setTimeout(look, 1000);
    } catch (err) {
      if (page.getAttribute('aria-busy')) {
        page.replaceChildren(h('button', { class: 'secondary', onclick: goBack }, 'Back to the shop'));
        page.removeAttribute('aria-busy');
      }
      showProblem(err);
    }
  };
  await look();
});
