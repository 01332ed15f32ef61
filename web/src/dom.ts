/** A few DOM helpers: the app renders plain elements, no framework. */
type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | boolean | undefined | ((event: Event) => void)>;

/** `h("button", { type: "button", onclick: … }, "Pay")`: an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** Replaces the children of `parent`. */
export function replace(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child);
  }
}

/** A banner: "ok", "warn" or "error" (announced to screen readers as a status or an alert). */
export function banner(kind: "ok" | "warn" | "error" | "info", ...children: Child[]): HTMLElement {
  return h(
    "div",
    { class: `banner banner-${kind}`, role: kind === "error" ? "alert" : "status" },
    ...children,
  );
}

/** A definition list of label → value rows. */
export function facts(rows: [string, Child | Child[]][]): HTMLElement {
  return h(
    "dl",
    { class: "facts" },
    rows.map(([label, value]) => h("div", {}, h("dt", {}, label), h("dd", {}, value))),
  );
}
