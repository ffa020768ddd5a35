/**
 * A small, strict XML reader for the SVG the suite writes: enough to prove a chart well-formed and to find its
 * elements, not a general parser (no DOCTYPE, CDATA or processing instructions beyond a leading declaration).
 * It throws, naming the offset, on anything a real XML parser would reject in such a file: a second root, an
 * unclosed or mismatched tag, an unquoted or repeated attribute, a raw `<` or `&` in text or an attribute, an entity
 * other than the five predefined ones and numeric references.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text and its descendants', entities decoded. */
  readonly text: string;
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

class Reader {
  position = 0;

  constructor(readonly source: string) {}

  fail(message: string): never {
    throw new Error(`XML at offset ${this.position}: ${message}`);
  }

  startsWith(text: string): boolean {
    return this.source.startsWith(text, this.position);
  }

  skipSpace(): void {
    while (/\s/.test(this.source.charAt(this.position))) this.position += 1;
  }

  name(): string {
    NAME.lastIndex = this.position;
    const match = NAME.exec(this.source);
    if (match === null) this.fail("expected a name");
    this.position += match[0].length;
    return match[0];
  }

  /** Decodes text up to `end` (exclusive), refusing a raw `<` and unknown entities. */
  decode(end: number, forbidden: string): string {
    let text = "";
    while (this.position < end) {
      const character = this.source.charAt(this.position);
      if (forbidden.includes(character)) this.fail(`a raw ${JSON.stringify(character)}`);
      if (character !== "&") {
        text += character;
        this.position += 1;
        continue;
      }
      const semicolon = this.source.indexOf(";", this.position);
      if (semicolon === -1 || semicolon > end) this.fail("an unterminated entity");
      const entity = this.source.slice(this.position + 1, semicolon);
      const numeric = /^#(?:x([0-9a-fA-F]+)|(\d+))$/.exec(entity);
      const named = ENTITIES[entity];
      if (numeric !== null)
        text += String.fromCodePoint(parseInt(numeric[1] ?? numeric[2] ?? "", numeric[1] ? 16 : 10));
      else if (named !== undefined) text += named;
      else this.fail(`an unknown entity &${entity};`);
      this.position = semicolon + 1;
    }
    return text;
  }

  element(): XmlElement {
    if (!this.startsWith("<")) this.fail("expected an element");
    this.position += 1;
    const name = this.name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = this.position;
      this.skipSpace();
      if (this.startsWith("/>")) {
        this.position += 2;
        return { name, attributes, children: [], text: "" };
      }
      if (this.startsWith(">")) {
        this.position += 1;
        break;
      }
      if (this.position === before) this.fail("expected a space before an attribute");
      const attribute = this.name();
      if (attribute in attributes) this.fail(`attribute ${attribute} repeated`);
      this.skipSpace();
      if (!this.startsWith("=")) this.fail(`attribute ${attribute} has no value`);
      this.position += 1;
      this.skipSpace();
      const quote = this.source.charAt(this.position);
      if (quote !== '"' && quote !== "'") this.fail(`attribute ${attribute} is not quoted`);
      this.position += 1;
      const close = this.source.indexOf(quote, this.position);
      if (close === -1) this.fail(`attribute ${attribute} is not closed`);
      attributes[attribute] = this.decode(close, "<");
      this.position = close + 1;
    }
    const children: XmlElement[] = [];
    let text = "";
    for (;;) {
      if (this.position >= this.source.length) this.fail(`<${name}> is never closed`);
      if (this.startsWith("</")) {
        this.position += 2;
        const closing = this.name();
        if (closing !== name) this.fail(`</${closing}> closes <${name}>`);
        this.skipSpace();
        if (!this.startsWith(">")) this.fail(`</${closing}> is not closed`);
        this.position += 1;
        return { name, attributes, children, text };
      }
      if (this.startsWith("<!--")) {
        const end = this.source.indexOf("-->", this.position);
        if (end === -1) this.fail("an unterminated comment");
        this.position = end + 3;
        continue;
      }
      if (this.startsWith("<")) {
        const child = this.element();
        children.push(child);
        text += child.text;
        continue;
      }
      const next = this.source.indexOf("<", this.position);
      text += this.decode(next === -1 ? this.source.length : next, "");
    }
  }
}

/** Parses `source` as one XML document (an optional declaration, one root element, nothing but space after it). */
export function parseXml(source: string): XmlElement {
  const reader = new Reader(source);
  if (reader.startsWith("<?xml")) {
    const end = source.indexOf("?>");
    if (end === -1) reader.fail("an unterminated declaration");
    reader.position = end + 2;
  }
  reader.skipSpace();
  const root = reader.element();
  reader.skipSpace();
  if (reader.position !== source.length) reader.fail("content after the root element");
  return root;
}

/** Every element of the tree, depth first, the root included. */
export function elementsOf(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(elementsOf)];
}

/** The elements whose `class` attribute lists `name`. */
export function byClass(root: XmlElement, name: string): XmlElement[] {
  return elementsOf(root).filter((element) => (element.attributes.class ?? "").split(/\s+/).includes(name));
}
