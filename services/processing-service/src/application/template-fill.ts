/**
 * Render-once, fill-many templates. Mailgen (ejs + juice CSS inlining) costs ~4 ms per mail, so
 * the confirmation is rendered ONCE with @@key@@ markers in place of the order's values, cut into
 * literal segments, and each mail is then a string join. Callers escape what they fill in.
 */
export type Segments = (string | { key: string })[];

const MARKER = /@@(\w+)@@/g;

export const marker = (key: string): string => `@@${key}@@`;

export function segment(doc: string): Segments {
  const out: Segments = [];
  let last = 0;
  for (const m of doc.matchAll(MARKER)) {
    out.push(doc.slice(last, m.index), { key: m[1]! });
    last = m.index + m[0].length;
  }
  out.push(doc.slice(last));
  return out;
}

export function fill(segments: Segments, values: Record<string, string>): string {
  let s = '';
  for (const part of segments) {
    if (typeof part === 'string') s += part;
    else {
      const v = values[part.key];
      if (v === undefined) throw new Error(`template value ${part.key} missing`);
      s += v;
    }
  }
  return s;
}

/** A document with one repeated section (table rows, text lines) around @@items@@. */
export interface RepeatingTemplate {
  doc: Segments;
  item: Segments;
  separator: string;
}

/**
 * Cuts a repeated section out of a document rendered with exactly two items: the first carries
 * the item markers, the second only `@@second@@`. `bounds` widens a marker position to its item
 * (e.g. the enclosing <tr>...</tr>); the text between the two items is the separator.
 */
export function repeating(rendered: string, firstKey: string, bounds: (doc: string, at: number) => [number, number]): RepeatingTemplate {
  const a = rendered.indexOf(marker(firstKey));
  const b = rendered.indexOf(marker('second'));
  if (a < 0 || b < a) throw new Error('template markers did not survive rendering');
  const [aStart, aEnd] = bounds(rendered, a);
  const [bStart, bEnd] = bounds(rendered, b);
  if (bStart < aEnd) throw new Error('repeated template items overlap');
  return {
    doc: segment(rendered.slice(0, aStart) + marker('items') + rendered.slice(bEnd)),
    item: segment(rendered.slice(aStart, aEnd)),
    separator: rendered.slice(aEnd, bStart),
  };
}

export function fillRepeating(t: RepeatingTemplate, values: Record<string, string>, items: Record<string, string>[]): string {
  const filledItems = items.map((item) => fill(t.item, item)).join(t.separator);
  return fill(t.doc, { ...values, items: filledItems });
}

/** Bounds of the table row around a position. */
export const tableRow = (doc: string, at: number): [number, number] => [
  doc.lastIndexOf('<tr', at),
  doc.indexOf('</tr>', at) + '</tr>'.length,
];
/** Bounds of the marker itself. */
export const markerOnly = (doc: string, at: number): [number, number] => [at, doc.indexOf('@@', at + 2) + 2];
