/**
 * Just enough XML for the fake: writing EC2's answers from plain objects, and reading them back
 * for the model check. The writer knows nothing of the model (an array becomes `<item>`
 * elements, a key becomes an element), so a wrong name or wrapper reaches the checker as it is.
 */

export type XmlValue =
  string | number | boolean | Date | readonly XmlValue[] | XmlObject | undefined;
export interface XmlObject {
  readonly [name: string]: XmlValue;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function writeValue(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) {
    const items = (value as readonly XmlValue[]).map((v) => writeValue('item', v)).join('');
    return `<${name}>${items}</${name}>`;
  }
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as XmlObject)
      .map(([k, v]) => writeValue(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A document: the declaration, then `root` (with attributes) holding `body`'s elements. */
export function writeXml(
  root: string,
  attributes: Record<string, string>,
  body: XmlObject,
): string {
  const attrs = Object.entries(attributes)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  const inner = Object.entries(body)
    .map(([k, v]) => writeValue(k, v))
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${attrs}>${inner}</${root}>`;
}

export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  /** The text directly inside the element (entities decoded). */
  text: string;
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    const known = ENTITIES[entity];
    if (known === undefined) throw new Error(`unknown XML entity ${whole}`);
    return known;
  });
}

const TOKEN =
  /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*"([^"]*)"/g;

/** Parses one document; throws on anything malformed (unclosed, mismatched, stray text). */
export function parseXml(text: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let consumed = 0;
  for (const match of text.matchAll(TOKEN)) {
    if (match.index !== consumed) throw new Error(`unreadable XML at offset ${consumed}`);
    consumed = match.index + match[0].length;
    const [whole, closing, opening, attributeText, selfClosing, chars] = match;
    if (whole.startsWith('<?') || whole.startsWith('<!--')) continue;
    if (chars !== undefined) {
      const top = stack.at(-1);
      if (top) top.text += decode(chars);
      else if (chars.trim() !== '') throw new Error('text outside the root element');
      continue;
    }
    if (closing !== undefined) {
      const top = stack.pop();
      if (top?.name !== closing)
        throw new Error(`</${closing}> does not close <${top?.name ?? ''}>`);
      continue;
    }
    if (opening === undefined) continue;
    const attributes: Record<string, string> = {};
    for (const [, k, v] of (attributeText ?? '').matchAll(ATTRIBUTE)) {
      if (k !== undefined) attributes[k] = decode(v ?? '');
    }
    const element: XmlElement = { name: opening, attributes, children: [], text: '' };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else if (root) throw new Error('more than one root element');
    else root = element;
    if (selfClosing !== '/') stack.push(element);
  }
  if (consumed !== text.length) throw new Error(`unreadable XML at offset ${consumed}`);
  if (!root || stack.length > 0) throw new Error('the document is empty or not closed');
  return root;
}
