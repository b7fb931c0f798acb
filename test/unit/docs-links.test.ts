// The documentation stands on its own in a clone: every relative link and image of README.md and docs/
// resolves to a file or folder inside the repository, every #anchor names a heading of the page it points
// to (GitHub's heading ids), and the README stays short enough to read first.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const README_MAX_LINES = 150;

/** README.md and every Markdown file under docs/, as paths from the repository's root. */
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => join('docs', file))
    .sort(),
];

/** A page's text with fenced code blocks and inline code blanked out, lines kept where they were. */
function proseOf(markdown: string): string {
  let fence: string | null = null;
  const lines = markdown.split('\n').map((line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && marker !== undefined) {
      fence = marker;
      return '';
    }
    if (fence !== null) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      return '';
    }
    return line;
  });
  // Inline code may run over a line break: keep the breaks so line numbers stay true.
  return lines.join('\n').replace(/(`+)[\s\S]*?\1/g, (code) => code.replace(/[^\n]/g, ' '));
}

interface Link {
  line: number;
  target: string;
}

/** Targets of inline links and images `](…)`, reference definitions `[x]: …`, and HTML href/src. */
function linksOf(markdown: string): Link[] {
  const prose = proseOf(markdown);
  const found: Link[] = [];
  const lineAt = (index: number) => prose.slice(0, index).split('\n').length;
  const patterns = [
    /\]\(\s*(<[^>\n]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g,
    /^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)/gm,
    /<(?:a|img)\b[^>]*?\s(?:href|src)="([^"]*)"/g,
  ];
  for (const pattern of patterns)
    for (const match of prose.matchAll(pattern)) {
      const raw = match[1] ?? '';
      found.push({ line: lineAt(match.index), target: raw.replace(/^<(.*)>$/, '$1') });
    }
  return found.sort((a, b) => a.line - b.line);
}

/** GitHub's id for a heading's text: lower case, punctuation dropped (not - or _), spaces as hyphens. */
function slugOf(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(^|\s)_([^_]+)_(?=\s|$)/g, '$1$2');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a page offers: its headings' ids (repeats numbered as GitHub does) and explicit ids. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const prose = proseOf(markdown);
  for (const line of prose.split('\n')) {
    const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = slugOf(heading);
    const times = seen.get(slug) ?? 0;
    seen.set(slug, times + 1);
    anchors.add(times === 0 ? slug : `${slug}-${String(times)}`);
  }
  for (const match of prose.matchAll(/<[a-z]+\b[^>]*?\s(?:id|name)="([^"]+)"/g))
    if (match[1] !== undefined) anchors.add(match[1]);
  return anchors;
}

const externalScheme = /^(?:https?|mailto|tel):/i;

/** What is wrong with one link of `page` (a path from the root), or null when it resolves. */
function problemOf(page: string, target: string, readPage: (path: string) => string): string | null {
  if (target === '') return 'the link is empty';
  if (externalScheme.test(target) || target.startsWith('//')) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return 'a scheme other than http(s), mailto or tel';
  const hash = target.indexOf('#');
  const pathPart = (hash < 0 ? target : target.slice(0, hash)).replace(/\?.*$/, '');
  const fragment = hash < 0 ? null : target.slice(hash + 1);
  let path: string;
  try {
    path = decodeURIComponent(pathPart);
  } catch {
    return 'the path is not valid percent-encoding';
  }
  const absolute =
    path === ''
      ? join(root, page)
      : path.startsWith('/')
        ? join(root, path)
        : resolve(root, dirname(page), path);
  const fromRoot = relative(root, absolute);
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot))
    return `it points outside the repository (${absolute})`;
  if (!existsSync(absolute)) return `no such file or folder in the repository: ${fromRoot}`;
  if (fragment === null || fragment === '' || !fromRoot.endsWith('.md')) return null;
  const anchors = anchorsOf(readPage(fromRoot));
  let anchor: string;
  try {
    anchor = decodeURIComponent(fragment);
  } catch {
    return 'the anchor is not valid percent-encoding';
  }
  if (!anchors.has(anchor)) return `${fromRoot} has no heading with the id "#${anchor}"`;
  return null;
}

const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('the documentation', () => {
  it('is README.md and the pages of docs/', () => {
    expect(pages).toContain('README.md');
    expect(pages.length).toBeGreaterThan(3);
  });

  it.each(pages)('%s: every relative link resolves inside the repository, anchors included', (page) => {
    const problems = linksOf(read(page)).flatMap(({ line, target }) => {
      const problem = problemOf(page, target, read);
      return problem === null ? [] : [`${page}:${String(line)}: (${target}): ${problem}`];
    });
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it(`README.md has at most ${String(README_MAX_LINES)} lines`, () => {
    const text = read('README.md');
    const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
    expect(lines, `README.md has ${String(lines)} lines; move detail to docs/`).toBeLessThanOrEqual(
      README_MAX_LINES,
    );
  });

  it('docs/benchmarks.md keeps the markers between which `npm run bench` writes its table', () => {
    const text = read('docs/benchmarks.md');
    const start = text.indexOf('<!-- bench:start -->');
    expect(start, 'docs/benchmarks.md: <!-- bench:start --> missing').toBeGreaterThanOrEqual(0);
    expect(
      text.indexOf('<!-- bench:end -->'),
      'docs/benchmarks.md: <!-- bench:end --> missing',
    ).toBeGreaterThan(start);
  });
});

describe('the link checker', () => {
  it('finds links outside code and makes GitHub heading ids', () => {
    const text = [
      'See [a](docs/a.md#b) and ![i](<img/x y.png> "t").',
      '```sh',
      'echo [not](a/link.md)',
      '```',
      'Not `[code](x.md)` either. [ref]: ../up.md',
      '[ref]: ./r.md',
    ].join('\n');
    expect(linksOf(text)).toEqual([
      { line: 1, target: 'docs/a.md#b' },
      { line: 1, target: 'img/x y.png' },
      { line: 6, target: './r.md' },
    ]);
    expect(slugOf('After a restore: `seq_gap`')).toBe('after-a-restore-seq_gap');
    expect(slugOf("A beneficiary's rights (L-RIGHTS)")).toBe('a-beneficiarys-rights-l-rights');
    expect(slugOf('How far one machine goes, and the path beyond')).toBe(
      'how-far-one-machine-goes-and-the-path-beyond',
    );
    expect(slugOf('لوحة المتابعة')).toBe('لوحة-المتابعة');
    expect([...anchorsOf('# A\n## A\n```\n# B\n```')]).toEqual(['a', 'a-1']);
  });

  it('refuses links that leave the repository, name nothing, or name no heading', () => {
    const page = (path: string) => (path === 'docs/x.md' ? '# Here\n' : read(path));
    expect(problemOf('README.md', '../shared/ARCHITECTURE.md', page)).toMatch(/outside the repository/);
    expect(problemOf('docs/sync.md', '../../shared/POLICY.md', page)).toMatch(/outside the repository/);
    expect(problemOf('README.md', 'docs/no-such-page.md', page)).toMatch(/no such file/);
    expect(problemOf('README.md', 'README.md#no-such-heading', page)).toMatch(/no heading/);
    expect(problemOf('README.md', '#configuration', page)).toBeNull();
    expect(problemOf('docs/sync.md', 'architecture.md#layers', page)).toBeNull();
    expect(problemOf('README.md', 'https://example.org/x', page)).toBeNull();
    expect(problemOf('README.md', 'file:///etc/passwd', page)).toMatch(/scheme/);
  });
});
