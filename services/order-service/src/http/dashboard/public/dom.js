// DOM helpers shared by the panels.

/**
 * One of the page's elements, checked against the class the caller expects, so a renamed id
 * fails here by name instead of as a null dereference somewhere later.
 * @template {Element} [T=HTMLElement]
 * @param {string} selector
 * @param {new () => T} [type] HTMLElement when omitted
 * @returns {T}
 */
export function $(selector, type) {
  const node = document.querySelector(selector);
  if (!(node instanceof (type ?? HTMLElement))) throw new Error(`The page has no ${selector}`);
  return /** @type {T} */ (node);
}

/**
 * @param {string} selector
 * @param {string} text
 */
export function setText(selector, text) {
  $(selector).textContent = text;
}

/**
 * An HTML element with properties and children.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Partial<HTMLElementTagNameMap[K]>} [props]
 * @param {(Node | string)[]} children
 */
export function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/**
 * An SVG element; its attributes are set one by one (SVG has no matching properties).
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {string} [text]
 */
export function svg(tag, attrs = {}, text = '') {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text) node.textContent = text;
  return node;
}
