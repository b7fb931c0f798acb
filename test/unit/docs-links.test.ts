// The documentation stands on its own in a clone: every relative link and image of README.md and docs/
// resolves to a file or folder inside the repository, every #anchor names a heading of the page it points
// to (GitHub's heading ids), and the README stays short enough to read first.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import GithubSlugger from 'github-slugger';
import MarkdownIt, { type Env } from 'markdown-it';
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

interface Link {
  line: number;
  target: string;
}

// CommonMark as GitHub reads it (raw HTML allowed), through markdown-it: code blocks and inline code hold no
// links, and reference-style links arrive resolved.
const markdown = new MarkdownIt({ html: true });
const htmlTargets = /<(?:a|img)\b[^>]*?\s(?:href|src)="([^"]*)"/g;
const htmlIds = /<[a-z]+\b[^>]*?\s(?:id|name)="([^"]+)"/g;

/** Targets of links and images (inline or by reference), unused reference definitions, and HTML href/src. */
function linksOf(text: string): Link[] {
  const env: Env = {};
  const tokens = markdown.parse(text, env);
  const found: Link[] = [];
  for (const block of tokens) {
    // A block's first line; markdown-it numbers lines from 0 and gives inline tokens no lines of their own.
    const line = (block.map?.[0] ?? 0) + 1;
    for (const token of [block, ...(block.children ?? [])]) {
      const target =
        token.type === 'link_open'
          ? token.attrGet('href')
          : token.type === 'image'
            ? token.attrGet('src')
            : null;
      if (target !== null) found.push({ line, target: decodeURI(String(target)) });
      if (token.type === 'html_inline' || token.type === 'html_block')
        for (const match of token.content.matchAll(htmlTargets)) found.push({ line, target: match[1] ?? '' });
    }
  }
  // A definition no link uses is still checked: it is a link waiting to be used.
  const used = new Set(found.map((l) => l.target));
  const lines = text.split('\n');
  for (const { href } of Object.values(env.references ?? {}))
    if (!used.has(decodeURI(href)))
      found.push({
        line: lines.findIndex((l) => /^ {0,3}\[[^\]]+\]:/.test(l) && l.includes(href)) + 1,
        target: decodeURI(href),
      });
  return found.sort((a, b) => a.line - b.line);
}

/** The anchors a page offers: its headings' ids as GitHub makes them (repeats numbered), and explicit ids. */
function anchorsOf(text: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  const tokens = markdown.parse(text, {});
  tokens.forEach((token, i) => {
    const inline = tokens[i + 1];
    if (token.type === 'heading_open' && inline !== undefined)
      anchors.add(slugger.slug(inline.children?.map((c) => c.content).join('') ?? inline.content));
    if (token.type === 'html_block' || token.type === 'html_inline')
      for (const match of token.content.matchAll(htmlIds)) if (match[1] !== undefined) anchors.add(match[1]);
    for (const child of token.children ?? [])
      if (child.type === 'html_inline')
        for (const match of child.content.matchAll(htmlIds))
          if (match[1] !== undefined) anchors.add(match[1]);
  });
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
      'Not `[code](x.md)` either, but [this][ref] is.',
      '',
      '[ref]: ./r.md',
      '[unused]: ./u.md',
    ].join('\n');
    expect(linksOf(text)).toEqual([
      { line: 1, target: 'docs/a.md#b' },
      { line: 1, target: 'img/x y.png' },
      { line: 5, target: './r.md' },
      { line: 8, target: './u.md' },
    ]);
    expect([...anchorsOf("# After a restore: `seq_gap`\n## A beneficiary's rights (L-RIGHTS)")]).toEqual([
      'after-a-restore-seq_gap',
      'a-beneficiarys-rights-l-rights',
    ]);
    expect([...anchorsOf('## لوحة المتابعة')]).toEqual(['لوحة-المتابعة']);
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
