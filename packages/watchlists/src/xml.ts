/**
 * A small, bounded, pull-style XML reader for the narrow subset official lists use (the UN
 * consolidated list: elements, attributes, text, the five predefined entities, character
 * references, comments, CDATA, the XML declaration).
 *
 * Safety, not completeness, is the point:
 * - Any `<!DOCTYPE …>` or `<!ENTITY …>` is rejected outright: no DTD is read and no entity is
 *   ever expanded, so "billion laughs" and external-entity (XXE) input cannot do anything.
 *   Unknown `&name;` references are errors for the same reason.
 * - Nesting depth, the text of one element, tag names and attribute counts are capped.
 * - It never builds a tree: the handler sees open/text/close events, so memory stays at the
 *   size of the record the caller chooses to keep (plus the input string itself).
 * - Every error is a ParseError naming the line (and the element where that helps).
 * Namespaces are not interpreted (prefixes stay part of the name); that is all the UN file needs.
 */
import { ParseError } from '@rendezvous/errors';

export interface XmlLimits {
  /** Deepest element nesting accepted (the UN list needs 4). */
  maxDepth: number;
  /** Longest text content of a single element, in characters. */
  maxTextChars: number;
  maxNameChars: number;
  maxAttributes: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxDepth: 32,
  maxTextChars: 1 << 20,
  maxNameChars: 256,
  maxAttributes: 64,
};

export interface XmlHandler {
  open(name: string, attributes: ReadonlyMap<string, string>, line: number): void;
  /** Text (entities decoded; CDATA verbatim) directly inside the innermost open element. */
  text(value: string): void;
  close(name: string, line: number): void;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c >= 0xc0;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 0xb7;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}
function isXmlChar(cp: number): boolean {
  return cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

export function parseXml(text: string, handler: XmlHandler, limits: Partial<XmlLimits> = {}): void {
  const lim: XmlLimits = { ...DEFAULT_XML_LIMITS, ...limits };
  const n = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  // Line numbers are counted lazily and monotonically (O(n) over the document); an error may
  // ask about an earlier position, which is then counted from the start.
  let lineScanPos = 0;
  let line = 1;
  function lineAt(p: number): number {
    if (p < lineScanPos) {
      let l = 1;
      for (let i = 0; i < p; i++) if (text.charCodeAt(i) === 10) l++;
      return l;
    }
    for (let i = lineScanPos; i < p; i++) if (text.charCodeAt(i) === 10) line++;
    lineScanPos = p;
    return line;
  }
  function fail(message: string, p: number, element?: string): never {
    const where = element === undefined ? `line ${lineAt(p)}` : `line ${lineAt(p)} <${element}>`;
    throw new ParseError(message, where);
  }

  const stack: { name: string; line: number }[] = [];
  let textInElement = 0;
  let rootSeen = false;
  let rootClosed = false;

  const nul = text.indexOf('\0');
  if (nul !== -1) fail('binary data (NUL character) in XML', nul);

  const decode = (raw: string, at: number): string => {
    if (raw.indexOf('&') === -1) return raw;
    let out = '';
    let i = 0;
    for (;;) {
      const amp = raw.indexOf('&', i);
      if (amp === -1) return out + raw.slice(i);
      out += raw.slice(i, amp);
      const semi = raw.indexOf(';', amp);
      if (semi === -1 || semi - amp > 12) fail('"&" that does not start an entity reference (write &amp;)', at + amp, stack.at(-1)?.name);
      const ref = raw.slice(amp + 1, semi);
      if (ref.startsWith('#')) {
        const cp = /^#x[0-9a-fA-F]{1,6}$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]{1,7}$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN;
        if (!isXmlChar(cp)) fail(`invalid character reference &${ref};`, at + amp, stack.at(-1)?.name);
        out += String.fromCodePoint(cp);
      } else {
        const v = PREDEFINED[ref];
        if (v === undefined) fail(`unknown entity &${ref}; (DTD entities are never expanded)`, at + amp, stack.at(-1)?.name);
        out += v;
      }
      i = semi + 1;
    }
  };

  const emitText = (raw: string, at: number, verbatim: boolean): void => {
    if (raw === '') return;
    if (stack.length === 0) {
      if (/^\s*$/.test(raw)) return;
      fail(rootClosed ? 'text after the root element' : 'text before the root element', at);
    }
    textInElement += raw.length;
    if (textInElement > lim.maxTextChars) fail(`text longer than ${lim.maxTextChars} characters`, at, stack.at(-1)?.name);
    handler.text(verbatim ? raw : decode(raw, at));
  };

  const readName = (p: number): string => {
    let e = p;
    if (e >= n || !isNameStart(text.charCodeAt(e))) fail('expected an element or attribute name', p, stack.at(-1)?.name);
    while (e < n && isNameChar(text.charCodeAt(e))) {
      e++;
      if (e - p > lim.maxNameChars) fail(`name longer than ${lim.maxNameChars} characters`, p);
    }
    return text.slice(p, e);
  };

  while (pos < n) {
    const lt = text.indexOf('<', pos);
    if (lt === -1) {
      emitText(text.slice(pos), pos, false);
      break;
    }
    if (lt > pos) emitText(text.slice(pos, lt), pos, false);
    const c1 = text.charCodeAt(lt + 1);
    if (c1 === 63 /* ? */) {
      const end = text.indexOf('?>', lt + 2);
      if (end === -1) fail('unterminated processing instruction "<?"', lt);
      pos = end + 2;
      continue;
    }
    if (c1 === 33 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        if (end === -1) fail('unterminated comment "<!--"', lt);
        pos = end + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9);
        if (end === -1) fail('unterminated CDATA section', lt);
        if (stack.length === 0) fail('CDATA outside the root element', lt);
        emitText(text.slice(lt + 9, end), lt + 9, true);
        pos = end + 3;
        continue;
      }
      const decl = /^<!([A-Za-z]*)/.exec(text.slice(lt, lt + 20))?.[1] ?? '';
      fail(
        decl.toUpperCase() === 'DOCTYPE' || decl.toUpperCase() === 'ENTITY'
          ? `<!${decl}> declarations are not accepted (no DTD or entity expansion)`
          : `unsupported markup "<!${decl}"`,
        lt,
        stack.at(-1)?.name,
      );
    }
    if (c1 === 47 /* / */) {
      const name = readName(lt + 2);
      let p = lt + 2 + name.length;
      while (p < n && isSpace(text.charCodeAt(p))) p++;
      if (text.charCodeAt(p) !== 62) fail(`malformed end tag </${name}`, lt);
      const top = stack.pop();
      if (top === undefined) fail(`end tag </${name}> without a matching start tag`, lt);
      if (top.name !== name) fail(`expected </${top.name}> (opened at line ${top.line}) but found </${name}>`, lt, top.name);
      textInElement = 0;
      handler.close(name, lineAt(lt));
      if (stack.length === 0) rootClosed = true;
      pos = p + 1;
      continue;
    }
    // Start tag.
    const name = readName(lt + 1);
    let p = lt + 1 + name.length;
    const attrs = new Map<string, string>();
    let selfClosing = false;
    for (;;) {
      const s0 = p;
      while (p < n && isSpace(text.charCodeAt(p))) p++;
      if (p >= n) fail(`unterminated start tag <${name}`, lt);
      const c = text.charCodeAt(p);
      if (c === 62 /* > */) {
        p++;
        break;
      }
      if (c === 47 /* / */) {
        if (text.charCodeAt(p + 1) !== 62) fail(`malformed start tag <${name}`, lt);
        selfClosing = true;
        p += 2;
        break;
      }
      if (p === s0) fail(`malformed start tag <${name}`, lt);
      const an = readName(p);
      p += an.length;
      while (p < n && isSpace(text.charCodeAt(p))) p++;
      if (text.charCodeAt(p) !== 61 /* = */) fail(`attribute ${an} of <${name}> has no value`, lt);
      p++;
      while (p < n && isSpace(text.charCodeAt(p))) p++;
      const q = text.charCodeAt(p);
      if (q !== 34 && q !== 39) fail(`attribute ${an} of <${name}> is not quoted`, lt);
      const end = text.indexOf(q === 34 ? '"' : "'", p + 1);
      if (end === -1 || end - p > lim.maxTextChars) fail(`unterminated attribute ${an} of <${name}>`, lt);
      const raw = text.slice(p + 1, end);
      if (raw.indexOf('<') !== -1) fail(`"<" in attribute ${an} of <${name}>`, lt);
      if (attrs.has(an)) fail(`duplicate attribute ${an} on <${name}>`, lt);
      if (attrs.size >= lim.maxAttributes) fail(`more than ${lim.maxAttributes} attributes on <${name}>`, lt);
      attrs.set(an, decode(raw, p + 1));
      p = end + 1;
    }
    if (stack.length === 0) {
      if (rootSeen) fail(`second root element <${name}>`, lt);
      rootSeen = true;
    }
    if (stack.length >= lim.maxDepth) fail(`elements nested deeper than ${lim.maxDepth}`, lt, name);
    const openLine = lineAt(lt);
    stack.push({ name, line: openLine });
    textInElement = 0;
    handler.open(name, attrs, openLine);
    if (selfClosing) {
      stack.pop();
      handler.close(name, openLine);
      if (stack.length === 0) rootClosed = true;
    }
    pos = p;
  }
  const open = stack.at(-1);
  if (open !== undefined) {
    throw new ParseError(`unexpected end of input: <${open.name}> opened at line ${open.line} is not closed`, `line ${lineAt(n)} <${open.name}>`);
  }
  if (!rootSeen) fail('no root element', n);
}
