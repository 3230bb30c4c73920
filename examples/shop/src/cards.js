/**
 * The data of each card the shop sends, one builder per template, every value within its keyword's rule
 * (spec §2: `thing` ≤ 20 characters, `character_string` ≤ 32 letters, digits and symbols, `time` a time).
 */

/** 订单发货提醒 (tid 1101, kidList [1,2,3,4,5]): order number, item, carrier, tracking number, shipped at. */
export const shippedData = ({ orderId, item, carrier, trackingNumber, at }) => ({
  character_string1: { value: orderId },
  thing2: { value: item },
  thing3: { value: carrier },
  character_string4: { value: trackingNumber },
  time5: { value: at },
});

/** 签收成功通知 (tid 1203, kidList [1,3,4,5]): tracking number, delivered at, where, item. */
export const deliveredData = ({ trackingNumber, at, place, item }) => ({
  character_string1: { value: trackingNumber },
  time3: { value: at },
  thing4: { value: place },
  thing5: { value: item },
});

/** 预约到期提醒 (tid 1302, kidList [1,2,3,4]): service, time, place, tip. */
export const reminderData = ({ service, at, place, tip }) => ({
  thing1: { value: service },
  time2: { value: at },
  thing3: { value: place },
  thing4: { value: tip },
});

/** The templates (tid and kidList) the shop's three builders fill: what `addtemplate` must be given. */
export const SHOP_TEMPLATES = {
  shipped: { tid: 1101, kidList: [1, 2, 3, 4, 5] },
  delivered: { tid: 1203, kidList: [1, 3, 4, 5] },
  reminder: { tid: 1302, kidList: [1, 2, 3, 4] },
};

/** `YYYY-MM-DD HH:mm` in the shop's time zone: a value the `time` keyword rule accepts. */
export const formatTime = (ms, timeZone) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(ms);
