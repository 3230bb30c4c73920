/**
 * A small, strict parser for the XML WeChat pushes: elements without attributes, text, CDATA sections and
 * comments; no DOCTYPE, no processing instructions past the prolog, no mixed content. Anything else is an
 * error, never a guess.
 */

export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** The element's text (CDATA and entities resolved); empty when it has children. */
  text: string;
}

export class XmlError extends Error {
  constructor(message: string, at: number) {
    super(`${message} at ${at}`);
    this.name = 'XmlError';
  }
}

const NAME = /[A-Za-z_][\w.-]*/y;
const MAX_DEPTH = 16;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string, at: number): string {
  return text.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new XmlError('unterminated entity', at);
    const named = ENTITIES[name];
    if (named !== undefined) return named;
    const code = /^#x([0-9a-fA-F]{1,6})$/.exec(name)?.[1] ?? /^#([0-9]{1,7})$/.exec(name)?.[1];
    if (code === undefined) throw new XmlError(`unknown entity &${name};`, at);
    const cp = Number.parseInt(code, name.startsWith('#x') ? 16 : 10);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0)
      throw new XmlError(`bad character reference &${name};`, at);
    return String.fromCodePoint(cp);
  });
}

/** Parses one document; its root element is returned. */
export function parseXml(source: string): XmlElement {
  let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;

  const skipSpace = () => {
    while (i < source.length && /\s/.test(source[i]!)) i++;
  };
  const expect = (s: string) => {
    if (!source.startsWith(s, i)) throw new XmlError(`expected "${s}"`, i);
    i += s.length;
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(source);
    if (!m) throw new XmlError('expected a name', i);
    i += m[0].length;
    return m[0];
  };
  const skipComment = () => {
    const end = source.indexOf('-->', i + 4);
    if (end < 0) throw new XmlError('unterminated comment', i);
    i = end + 3;
  };

  function element(depth: number): XmlElement {
    if (depth > MAX_DEPTH) throw new XmlError('nested too deep', i);
    expect('<');
    const name = readName();
    skipSpace();
    if (source.startsWith('/>', i)) {
      i += 2;
      return { name, children: [], text: '' };
    }
    if (source[i] !== '>') throw new XmlError(`attributes are not expected in <${name}>`, i);
    i++;
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (i >= source.length) throw new XmlError(`<${name}> is not closed`, i);
      if (source.startsWith('<![CDATA[', i)) {
        const end = source.indexOf(']]>', i + 9);
        if (end < 0) throw new XmlError('unterminated CDATA', i);
        text += source.slice(i + 9, end);
        i = end + 3;
      } else if (source.startsWith('<!--', i)) {
        skipComment();
      } else if (source.startsWith('</', i)) {
        i += 2;
        const close = readName();
        if (close !== name) throw new XmlError(`</${close}> closes <${name}>`, i);
        skipSpace();
        expect('>');
        if (children.length > 0 && text.trim() !== '') throw new XmlError(`mixed content in <${name}>`, i);
        return { name, children, text: children.length > 0 ? '' : text };
      } else if (source[i] === '<') {
        if (source[i + 1] === '!' || source[i + 1] === '?') throw new XmlError('unexpected markup', i);
        children.push(element(depth + 1));
      } else {
        const end = source.indexOf('<', i);
        const stop = end < 0 ? source.length : end;
        text += decodeEntities(source.slice(i, stop), i);
        i = stop;
      }
    }
  }

  skipSpace();
  if (source.startsWith('<?xml', i)) {
    const end = source.indexOf('?>', i);
    if (end < 0) throw new XmlError('unterminated XML declaration', i);
    i = end + 2;
  }
  for (;;) {
    skipSpace();
    if (source.startsWith('<!--', i)) skipComment();
    else break;
  }
  if (source.startsWith('<!', i)) throw new XmlError('DOCTYPE is not accepted', i);
  const root = element(0);
  for (;;) {
    skipSpace();
    if (source.startsWith('<!--', i)) skipComment();
    else break;
  }
  if (i < source.length) throw new XmlError('content after the root element', i);
  return root;
}

export type XmlValue = string | XmlObject | (string | XmlObject)[];
export interface XmlObject {
  [name: string]: XmlValue;
}

/**
 * An element as a plain object: a leaf is its text; an element with children an object of them, a name
 * that repeats an array (so one `<List>` is an object and several an array, as in JSON; callers normalise).
 */
export function xmlToObject(el: XmlElement): string | XmlObject {
  if (el.children.length === 0) return el.text;
  // No prototype: an element named __proto__ is just a field.
  const out: XmlObject = Object.create(null);
  for (const child of el.children) {
    const value = xmlToObject(child);
    const prev = out[child.name];
    // Only repetition makes an array here (an element itself is a string or an object).
    if (prev === undefined) out[child.name] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[child.name] = [prev, value];
  }
  return out;
}
