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
