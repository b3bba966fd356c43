// The documentation a cloner gets: docs/ exists, and no product file sends the reader to a path
// outside the repository (the project's research notes are not shipped).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOTS = [
  'README.md',
  'docs',
  'src',
  'scripts',
  'strategies',
  'schemas',
  'paper',
  'test',
  'bin',
  'bench',
  'data',
  '.ci',
  '.env.example',
  'eslint.config.js',
  'package.json',
];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'results', '.git']);
const THIS_FILE = join('test', 'docs.test.ts');
const MAX_BYTES = 4 * 1024 * 1024;

function walk(path: string, out: string[]): void {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) if (!SKIP_DIRS.has(name)) walk(join(path, name), out);
  } else if (st.size <= MAX_BYTES && path !== THIS_FILE) out.push(path);
}

function productFiles(): { path: string; text: string }[] {
  const paths: string[] = [];
  for (const r of ROOTS) walk(r, paths);
  return paths
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
    .filter((f) => !f.text.includes('\u0000'));
}

/** What a cloner does not have: the shared research folder, the seed text, the reference notes. */
const OUTSIDE: readonly RegExp[] = [
  /\.\.\/shared\b/,
  /\/work\//,
  /\bshared\/(docs|data|seed)\b/,
  /alvh-methodology/,
  /\b(ib-protocol|market-facts|peers)(\.md)?\b/,
];
/** The three documents, named without docs/ outside docs/ itself. */
const BARE_DOC = /(?<![\w/.-])(strategy|architecture|ib-notes)\.md\b/;

test('docs/ holds the strategy, the architecture and the IB notes', () => {
  for (const f of ['strategy.md', 'architecture.md', 'ib-notes.md'])
    assert.ok(readFileSync(join('docs', f), 'utf8').length > 2000, `docs/${f}`);
});

test('no product file references a path outside the repository', () => {
  const files = productFiles();
  assert.ok(files.length > 300, `scanned ${files.length} files`);
  const found: string[] = [];
  for (const { path, text } of files) {
    text.split('\n').forEach((line, i) => {
      for (const re of OUTSIDE) if (re.test(line)) found.push(`${path}:${i + 1}: ${re.source}`);
      if (!path.startsWith('docs') && BARE_DOC.test(line))
        found.push(`${path}:${i + 1}: a doc without docs/`);
    });
  }
  assert.deepEqual(found, []);
});

test('relative links in Markdown files resolve to files of the repository', () => {
  const broken: string[] = [];
  for (const { path, text } of productFiles().filter((f) => f.path.endsWith('.md'))) {
    for (const m of text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)) {
      const target = m[1] ?? '';
      if (/^[a-z]+:/.test(target)) continue;
      const resolved = join(dirname(path), target);
      if (!existsSync(resolved) || relative('.', resolved).startsWith('..'))
        broken.push(`${path}: ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});

test('every "docs/X.md §N" or "section N" a product file cites is a numbered section of that document', () => {
  const headings = new Map<string, Set<string>>();
  for (const doc of ['strategy', 'architecture', 'ib-notes']) {
    const text = readFileSync(join('docs', `${doc}.md`), 'utf8');
    headings.set(doc, new Set([...text.matchAll(/^## (\d+)\./gm)].map((m) => m[1] ?? '')));
  }
  const missing: string[] = [];
  for (const { path, text } of productFiles()) {
    for (const m of text.matchAll(/docs\/(strategy|architecture|ib-notes)\.md,? (?:§|sections? )(\d+)/g)) {
      const [, doc = '', n = ''] = m;
      if (!(headings.get(doc)?.has(n) ?? false)) missing.push(`${path}: docs/${doc}.md ${n}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('every rule a test quotes from docs/strategy.md is written in that section of docs/strategy.md', () => {
  const normalise = (s: string): string => s.replace(/[*`]/g, '').replace(/\s+/g, ' ').toLowerCase();
  const text = readFileSync(join('docs', 'strategy.md'), 'utf8');
  const sections = new Map<string, string>();
  for (const part of text.split(/^(?=## \d+\.)/m)) {
    const n = /^## (\d+)\./.exec(part)?.[1];
    if (n !== undefined) sections.set(n, normalise(part));
  }
  const quotes: { where: string; section: string; quote: string }[] = [];
  for (const { path, text: src } of productFiles().filter((f) => f.path.startsWith('test'))) {
    for (const m of src.replace(/\\'/g, "'").matchAll(/docs\/strategy\.md (\d+) "([^"]+)"/g))
      quotes.push({ where: path, section: m[1] ?? '', quote: m[2] ?? '' });
  }
  assert.ok(quotes.length >= 5, `found ${quotes.length} quoted rules`);
  const missing = quotes.filter(({ section, quote }) => {
    const body = sections.get(section) ?? '';
    // "..." marks a gap: each piece must appear, in order.
    let from = 0;
    for (const piece of normalise(quote).split(' ... ')) {
      const at = body.indexOf(piece.trim(), from);
      if (at < 0) return true;
      from = at + piece.length;
    }
    return false;
  });
  assert.deepEqual(
    missing.map((q) => `${q.where}: ${q.section} "${q.quote}"`),
    [],
  );
});
