/**
 * What the shop sells. `name` is what the cards show (a `thing` value: at most 20 characters), `nameEn` what
 * the pages show beside it, `price` in fen (1/100 yuan), `picture` a file of `web/items/`.
 */
export const ITEMS = [
  { id: 'earbuds', name: '无线蓝牙耳机', nameEn: 'Wireless earbuds', price: 19_900, picture: 'earbuds.svg' },
  { id: 'keyboard', name: '机械键盘', nameEn: 'Mechanical keyboard', price: 34_900, picture: 'keyboard.svg' },
  { id: 'bottle', name: '保温杯', nameEn: 'Insulated bottle', price: 8_900, picture: 'bottle.svg' },
  { id: 'tote', name: '帆布托特包', nameEn: 'Canvas tote bag', price: 5_900, picture: 'tote.svg' },
];

/** The item with this id, or undefined. */
export const findItem = (id) => ITEMS.find((item) => item.id === id);
