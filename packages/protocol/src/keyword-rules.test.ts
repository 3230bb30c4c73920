import { describe, expect, test } from 'vitest';
import { checkKeywordValue, firstInvalidKeyword } from './keyword-rules.js';

// Per type: values WeChat's published rules accept, and values they reject (spec §2).
const table: Record<string, { accept: (string | number)[]; reject: (string | number)[] }> = {
  thing: {
    accept: ['订单已发货', 'Order #123 shipped!', '一二三四五六七八九十一二三四五六七八九十', 'a'.repeat(20)],
    reject: ['一二三四五六七八九十一二三四五六七八九十一', 'a'.repeat(21), 'line\nbreak', 'tab\there'],
  },
  short_thing: { accept: ['提现', 'abcde'], reject: ['abcdef'] },
  number: {
    accept: ['42', 42, '3.14', '0', '1'.repeat(32), `${'1'.repeat(31)}.5`],
    reject: ['1'.repeat(33), '12a', '-5', '1,000', '一', '1.2.3', '.5'],
  },
  letter: { accept: ['abc', 'ABCxyz', 'a'.repeat(32)], reject: ['a'.repeat(33), 'ab1', 'a b', '字'] },
  symbol: { accept: ['%', '-+', '!@#$%', '※'], reject: ['!@#$%^', 'a!', '1', '字', '% %'] },
  character_string: {
    accept: ['SF1234567890', 'A-1_b/2', 'x'.repeat(32), 12345],
    reject: ['测试订阅消息1', 'x'.repeat(33), 'has space'],
  },
  time: {
    accept: [
      '15:01',
      '9:05',
      '15:01:59',
      '2019年10月1日 15:01',
      '2019-10-01 15:01',
      '15:01~17:30',
      '2019-10-01 15:01 ~ 2019-10-01 17:00',
    ],
    reject: ['25:00', '15:60', '2019年10月1日', 'soon', '15:01~'],
  },
  date: {
    accept: [
      '2019年10月1日',
      '2019年10月',
      '10月1日',
      '2018-01-01',
      '2018/01/01',
      '2018.01.01',
      '2018-01',
      '01-01',
      '2019年10月1日 15:01',
      '2019-10-01 15:01:00',
      '2019-10-01~2019-10-07',
    ],
    reject: ['2019-13-01', '2019-10-32', 'tomorrow', '15:01', '2019-10-01 25:00'],
  },
  amount: {
    accept: ['¥100', '¥99.00', '¥123.45元', '100.00', '100元', '$5', '1234567890'],
    reject: ['¥12345678901', '¥¥1', 'one hundred', '100 元', '-¥5', '¥'],
  },
  phone_number: {
    accept: ['+86-0766-66888866', '13800138000', '(010) 1234-5678'],
    reject: ['+86-0766-668888661', 'call me', '1380013800a', '---'],
  },
  car_number: {
    accept: ['粤A8Z888挂', '京A12345', 'AB1234'],
    reject: ['粤A8Z888挂挂', '粤A字888', 'A', '粤A-8888'],
  },
  name: {
    accept: ['张三', '欧阳娜娜', '一二三四五六七八九十', 'John Smith', 'Mary-Jane O.', '张三Li'],
    reject: ['一二三四五六七八九十一', 'J'.repeat(21), 'R2D2'],
  },
  phrase: {
    accept: ['配送中', '审核通过', '一二三四五'],
    reject: ['一二三四五六', 'ok', '配送中1', '正常 结束'],
  },
};

describe.each(Object.entries(table))('%s', (rule, { accept, reject }) => {
  test.each(accept.map((v) => [v]))('accepts %j', (value) => {
    expect(checkKeywordValue(rule, value)).toBe('ok');
  });
  test.each(reject.map((v) => [v]))('rejects %j', (value) => {
    expect(checkKeywordValue(rule, value)).toBe('invalid');
  });
});

test('empty values are reported as empty, whatever the type', () => {
  for (const rule of [...Object.keys(table), 'enum']) {
    expect(checkKeywordValue(rule, '')).toBe('is empty');
    expect(checkKeywordValue(rule, '   ')).toBe('is empty');
    expect(checkKeywordValue(rule, undefined)).toBe('is empty');
    expect(checkKeywordValue(rule, null)).toBe('is empty');
  }
});

test('enum accepts only the template’s own values', () => {
  expect(checkKeywordValue('enum', '已发货', ['已发货', '已签收'])).toBe('ok');
  expect(checkKeywordValue('enum', '已取消', ['已发货', '已签收'])).toBe('invalid');
  expect(checkKeywordValue('enum', '已发货')).toBe('invalid');
});

test('objects, arrays and booleans are never valid values; unknown types reject', () => {
  expect(checkKeywordValue('thing', { a: 1 })).toBe('invalid');
  expect(checkKeywordValue('thing', ['a'])).toBe('invalid');
  expect(checkKeywordValue('thing', true)).toBe('invalid');
  expect(checkKeywordValue('no_such_type', 'x')).toBe('invalid');
});

test('firstInvalidKeyword: the first failing keyword in the template’s order; unknown rules and extra keys pass', () => {
  const keywords = [
    { key: 'thing1', rule: 'thing' },
    { key: 'enum_string2', rule: 'enum', enumValues: ['已发货'] },
    { key: 'mystery3', rule: null },
    { key: 'time4', rule: 'time' },
  ];
  const ok = { thing1: { value: '耳机' }, enum_string2: { value: '已发货' }, time4: { value: '15:01' } };
  expect(firstInvalidKeyword(keywords, { ...ok, extra9: { value: 1 } })).toBeUndefined();
  expect(
    firstInvalidKeyword(keywords, { ...ok, enum_string2: { value: '已取消' }, time4: { value: '' } }),
  ).toEqual({ key: 'enum_string2', problem: 'invalid' });
  expect(firstInvalidKeyword(keywords, { ...ok, time4: {} })).toEqual({ key: 'time4', problem: 'is empty' });
  // A value that is not an object, or data that is not one: empty at the first key.
  expect(firstInvalidKeyword(keywords, { ...ok, thing1: ['耳机'] })).toEqual({
    key: 'thing1',
    problem: 'is empty',
  });
  expect(firstInvalidKeyword(keywords, [ok])).toEqual({ key: 'thing1', problem: 'is empty' });
  expect(firstInvalidKeyword(keywords, undefined)).toEqual({ key: 'thing1', problem: 'is empty' });
  // Only own keys count.
  expect(firstInvalidKeyword(keywords, Object.create(ok))).toEqual({ key: 'thing1', problem: 'is empty' });
});
