// Commit subjects of at most 72 characters (STYLE: "subject ≤ 72 characters, imperative; the body says why").
// `npm run check` runs this over the history since the rule was kept (it stops at `ruleSince`); the commit-msg
// hook in .githooks (installed by `npm ci`, see package.json's prepare) runs it on the message being written.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const maxSubject = 72;
/** The last commit before the rule: every commit after it keeps it. */
const ruleSince = '79c4e24';

/** What is wrong with a commit message, or nothing. */
function subjectProblems(message: string): string[] {
  const lines = message.split('\n').filter((line) => !line.startsWith('#'));
  const subject = lines[0] ?? '';
  const problems: string[] = [];
  if (subject.trim() === '') problems.push('the subject is empty');
  // Characters as a reader counts them (an Arabic letter with its marks, an emoji): grapheme clusters.
  const length = [...new Intl.Segmenter().segment(subject)].length;
  if (length > maxSubject) problems.push(`the subject has ${length} characters (at most ${maxSubject})`);
  if (lines.length > 1 && (lines[1] ?? '').trim() !== '')
    problems.push('a blank line must separate the subject from the body');
  return problems;
}

function git(args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function main(argv: string[]): number {
  if (argv[0] === '--message') {
    const file = argv[1];
    if (file === undefined) throw new Error('usage: commit-subjects.ts --message FILE');
    const problems = subjectProblems(readFileSync(file, 'utf8'));
    for (const p of problems) console.error(`commit message: ${p}.`);
    return problems.length === 0 ? 0 : 1;
  }
  let range: string;
  try {
    git(['rev-parse', '--verify', '--quiet', `${ruleSince}^{commit}`]);
    range = `${ruleSince}..HEAD`;
  } catch {
    // No history (an exported tree) or a shallow clone without the rule's first commit: check what is here.
    try {
      git(['rev-parse', '--verify', '--quiet', 'HEAD']);
    } catch {
      console.log('commit subjects: no git history here, nothing to check.');
      return 0;
    }
    range = 'HEAD';
  }
  const log = git(['log', '--format=%h%x00%B%x01', range]);
  let bad = 0;
  let count = 0;
  for (const entry of log.split('\x01')) {
    const [hash, message] = entry.replace(/^\n/, '').split('\0');
    if (hash === undefined || message === undefined || hash === '') continue;
    count += 1;
    for (const p of subjectProblems(message)) {
      bad += 1;
      console.error(`${hash}: ${p}: ${message.split('\n')[0] ?? ''}`);
    }
  }
  if (bad > 0) {
    console.error(`Reword those commits (git rebase -i): subjects of at most ${maxSubject} characters.`);
    return 1;
  }
  console.log(
    `commit subjects: ${count} commits since ${ruleSince}, each subject ≤ ${maxSubject} characters.`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
