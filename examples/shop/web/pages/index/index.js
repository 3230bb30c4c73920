import { api, BASE, h, openPage, showProblem, startPage, yuan } from '../../shop.js';

/** The shop's home: what it sells, and the user's orders with where each one is. */

const STATUS = { paid: 'Paid', shipped: 'Shipped', delivered: 'Delivered' };
const page = document.getElementById('page');

function itemRow(item) {
  return h(
    'li',
    {},
    h(
      'button',
      {
        class: 'row',
        'aria-label': `${item.nameEn}, ${yuan(item.price)}`,
        onclick: () => openPage(`/pages/order/order?item=${encodeURIComponent(item.id)}`),
      },
      h('img', { src: new URL(`items/${item.picture}`, BASE), alt: '' }),
      h('span', { class: 'grow' }, item.name, h('span', { class: 'sub' }, item.nameEn)),
      h('span', { class: 'price' }, yuan(item.price)),
      h('span', { class: 'chevron', 'aria-hidden': 'true' }, '›'),
    ),
  );
}

function orderRow(order) {
  return h(
    'li',
    {},
    h(
      'button',
      {
        class: 'row',
        'aria-label': `Order ${order.id}, ${order.item}, ${STATUS[order.status]}`,
        onclick: () => openPage(`/pages/order/detail?id=${encodeURIComponent(order.id)}`),
      },
      h('span', { class: 'grow' }, order.item, h('span', { class: 'sub' }, order.id)),
      h('span', { class: `status ${order.status}` }, STATUS[order.status]),
      h('span', { class: 'chevron', 'aria-hidden': 'true' }, '›'),
    ),
  );
}

startPage(async (openid) => {
  const { items, shipAfterMs } = await api('catalogue');
  const orders = h('ul', { 'aria-label': 'Your orders' });
  page.replaceChildren(
    h(
      'header',
      { class: 'hero' },
      h('img', { src: new URL('icon.svg', BASE), alt: '' }),
      h(
        'div',
        {},
        h('h1', {}, 'Demo Shop'),
        h(
          'p',
          {},
          `Order something: it ships about ${Math.round(shipAfterMs / 1000)} s later, and a card says so.`,
        ),
      ),
    ),
    h('h2', { id: 'items-title' }, 'Items'),
    h('ul', { 'aria-labelledby': 'items-title' }, items.map(itemRow)),
    h('h2', {}, 'Your orders'),
    orders,
  );
  page.removeAttribute('aria-busy');

  // Orders move on their own (paid → shipped → delivered): the list follows while one is on its way.
  const refresh = async () => {
    try {
      const { orders: mine } = await api(`orders?openid=${encodeURIComponent(openid)}`);
      orders.replaceChildren(
        ...(mine.length ? mine.map(orderRow) : [h('li', { class: 'muted' }, 'No orders yet.')]),
      );
      showProblem();
      return mine.some((o) => o.status !== 'delivered');
    } catch (err) {
      showProblem(err);
      return true;
    }
  };
  // One look at a time, and at most one waiting: a second call joins the look in flight.
  let timer;
  let looking;
  const follow = () => {
    clearTimeout(timer);
    looking ??= refresh().then((onItsWay) => {
      looking = undefined;
      if (onItsWay) timer = setTimeout(follow, 1500);
    });
    return looking;
  };
  await follow();
  // Back from an order's page (the page below it in the stack comes into view again): look again.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void follow();
  });
});
