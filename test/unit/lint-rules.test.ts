// The layer rules of ARCHITECTURE.md are enforced by ESLint: these tests make sure the rules fire.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layer rules', () => {
  it('a lower layer cannot import a higher one (protocol → ui, db → state)', async () => {
    expect(
      await ruleIds("import { App } from '../ui/App';\nexport const x = App;\n", 'src/protocol/auth.ts'),
    ).toContain('import-x/no-restricted-paths');
    expect(
      await ruleIds(
        "import { createSessionStore } from '../state/session';\nexport const x = createSessionStore;\n",
        'src/db/database.ts',
      ),
    ).toContain('import-x/no-restricted-paths');
  });

  it('the server may not import the app layers, and the app may not import the server', async () => {
    expect(
      await ruleIds(
        "import { WaselDb } from '../src/db/database';\nexport const x = WaselDb;\n",
        'server/server.ts',
      ),
    ).toContain('import-x/no-restricted-paths');
    expect(
      await ruleIds(
        "import { version } from '../../server/server';\nexport const x = version;\n",
        'src/ui/App.tsx',
      ),
    ).toContain('import-x/no-restricted-paths');
  });

  it('a higher layer may import a lower one', async () => {
    expect(
      await ruleIds(
        "import { roles } from '../protocol/auth';\nexport const x = roles;\n",
        'src/state/session.ts',
      ),
    ).not.toContain('import-x/no-restricted-paths');
  });

  it('only src/state imports zustand', async () => {
    const code =
      "import { createStore } from 'zustand/vanilla';\nexport const s = createStore(() => ({}));\n";
    expect(await ruleIds(code, 'src/ui/App.tsx')).toContain('no-restricted-imports');
    expect(await ruleIds(code, 'src/state/session.ts')).not.toContain('no-restricted-imports');
  });

  it('forbids any, floating promises and ts-ignore', async () => {
    const ids = await ruleIds(
      '// @ts-ignore\nexport const a: any = 1;\nexport async function f() { await Promise.resolve(); }\nf();\n',
      'src/state/session.ts',
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        '@typescript-eslint/ban-ts-comment',
        '@typescript-eslint/no-explicit-any',
        '@typescript-eslint/no-floating-promises',
      ]),
    );
  });
});

describe('SQL lives in server/store', () => {
  it('a statement written in a route or a service is refused; the store may hold one; an HTTP verb is no SQL', async () => {
    const code = "export const q = `SELECT id FROM users WHERE id = $1`;\nexport const verb = 'DELETE';\n";
    const refused = (ids: string[]) => ids.filter((id) => id === 'no-restricted-syntax');
    expect(refused(await ruleIds(code, 'server/services/staff-service.ts'))).toHaveLength(1);
    expect(refused(await ruleIds(code, 'server/http/app.ts'))).toHaveLength(1);
    expect(refused(await ruleIds(code, 'server/store/staff-store.ts'))).toEqual([]);
  });
});

describe('errors are never silent (issue 20)', () => {
  it('a promise’s failure is dropped only with the reason written beside it', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const files = ['src', 'sw'].flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.tsx?$/.test(f))
        .map((f) => `${dir}/${f}`),
    );
    expect(files.length).toBeGreaterThan(50);
    const unexplained: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!line.includes('.catch(() => undefined)')) return;
        const near = [line, lines[i - 1] ?? '', lines[i - 2] ?? ''];
        if (!near.some((l) => l.includes('//'))) unexplained.push(`${file}:${String(i + 1)}`);
      });
    }
    expect(unexplained).toEqual([]);
  });
});
