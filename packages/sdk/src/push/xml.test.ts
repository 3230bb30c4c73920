import { describe, expect, test } from 'vitest';
import { parseXml, xmlToObject } from './xml.js';

describe('parseXml', () => {
  test('elements, CDATA (split across sections), entities, comments, a prolog and a BOM', () => {
    const root = parseXml(
      '\uFEFF<?xml version="1.0"?><!-- head --><xml><A><![CDATA[x]]]]><![CDATA[>y]]></A>' +
        '<B>1 &lt; 2 &amp;&amp; &#x4e2d;&#25991; &quot;&apos;</B><C/><!-- c --><D></D></xml>\n',
    );
    expect(root).toEqual({
      name: 'xml',
      text: '',
      children: [
        { name: 'A', children: [], text: 'x]]>y' },
        { name: 'B', children: [], text: '1 < 2 && 中文 "\'' },
        { name: 'C', children: [], text: '' },
        { name: 'D', children: [], text: '' },
      ],
    });
  });

  test.each([
    ['attributes', '<xml><A id="1">x</A></xml>'],
    ['a mismatched close', '<xml><A>x</B></xml>'],
    ['an unclosed element', '<xml><A>x</A>'],
    ['a DOCTYPE', '<!DOCTYPE xml [<!ENTITY e "x">]><xml/>'],
    ['an unknown entity', '<xml><A>&e;</A></xml>'],
    ['a bare ampersand', '<xml><A>a & b</A></xml>'],
    ['mixed content', '<xml>text<A>x</A></xml>'],
    ['two roots', '<xml/><xml/>'],
    ['text after the root', '<xml/>tail'],
    ['a processing instruction inside', '<xml><?pi x?></xml>'],
    ['an unterminated CDATA', '<xml><A><![CDATA[x</A></xml>'],
    ['a NUL character reference', '<xml><A>&#0;</A></xml>'],
    ['nesting deeper than any push', `${'<a>'.repeat(40)}${'</a>'.repeat(40)}`],
    ['nothing', ''],
  ])('refuses %s', (_why, source) => {
    expect(() => parseXml(source)).toThrow();
  });
});

describe('xmlToObject', () => {
  test('one child an object, repeats an array, leaves their text', () => {
    const one = xmlToObject(parseXml('<xml><W><List><T>a</T></List></W><N>1</N></xml>'));
    expect(one).toEqual({ W: { List: { T: 'a' } }, N: '1' });
    const many = xmlToObject(
      parseXml('<xml><W><List><T>a</T></List><List><T>b</T></List><List><T>c</T></List></W></xml>'),
    );
    expect(many).toEqual({ W: { List: [{ T: 'a' }, { T: 'b' }, { T: 'c' }] } });
  });

  test('an element named __proto__ is a plain field, not a prototype', () => {
    const obj = xmlToObject(parseXml('<xml><__proto__><polluted>yes</polluted></__proto__></xml>')) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(obj)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(obj, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
