// Edit a parsed JSON document by path ("hedge.templates[1].share"), to break one field per test.
export type JsonDoc = Record<string, unknown>;

function keys(path: string): (string | number)[] {
  return path.split('.').flatMap((part) => {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (m === null) throw new Error(`bad path ${path}`);
    const indexes = [...(m[2] ?? '').matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
    return [m[1]!, ...indexes];
  });
}

function parentOf(
  root: JsonDoc,
  path: string,
): { parent: Record<string | number, unknown>; key: string | number } {
  const ks = keys(path);
  let cur: unknown = root;
  for (const k of ks.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') throw new Error(`no ${path} in the document`);
    cur = (cur as Record<string | number, unknown>)[k];
  }
  if (cur === null || typeof cur !== 'object') throw new Error(`no ${path} in the document`);
  return { parent: cur as Record<string | number, unknown>, key: ks[ks.length - 1]! };
}

export function get(root: JsonDoc, path: string): unknown {
  const { parent, key } = parentOf(root, path);
  return parent[key];
}

export function set(root: JsonDoc, path: string, value: unknown): void {
  const { parent, key } = parentOf(root, path);
  parent[key] = value;
}

export function unset(root: JsonDoc, path: string): void {
  const { parent, key } = parentOf(root, path);
  delete parent[key];
}
