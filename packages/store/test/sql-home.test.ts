/**
 * The store is the one home of SQL: a statement in any other package's source (apps/* /src,
 * packages/* /src) fails this test with its file and line, so new SQL lands in a repository
 * (packages/store/src/repos/) instead of spreading again.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Folders whose `src` must hold no SQL; the store itself is the exception. */
const SCANNED = ['apps', 'packages'];
const HOME = join('packages', 'store');

// A statement starts a literal (`SELECT ${columns} FROM …`) or shows an unmistakable shape inside one.
const STATEMENT_START = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|LISTEN|NOTIFY|UNLISTEN)\s/;
const STATEMENT_SHAPE =
  /\bSELECT\s[\s\S]*\bFROM\s|\bINSERT\s+INTO\s|\bUPDATE\s+\S+\s+SET\s|\bDELETE\s+FROM\s|\b(LISTEN|NOTIFY)\s+[a-z_]/;
// Any SQL naming one of the lab's tables, whatever the statement.
const LAB_TABLE = /\b(FROM|INTO|JOIN|UPDATE|TABLE)\s+nf_[a-z_]+/i;

/** True when a string or template literal's text is SQL. */
const isSql = (text: string): boolean =>
  STATEMENT_START.test(text) || STATEMENT_SHAPE.test(text) || LAB_TABLE.test(text);

/** The text of a literal, with `${…}` holes as a placeholder. */
const literalText = (node: ts.Node): string | undefined => {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('x');
  }
  return undefined;
};

/** `file:line` of every literal in `source` that holds SQL. */
const sqlLiterals = (file: string, source: string): string[] => {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const text = literalText(node);
    if (text !== undefined && isSql(text)) {
      const { line } = tree.getLineAndCharacterOfPosition(node.getStart(tree));
      found.push(`${file}:${line + 1}: ${text.trim().split('\n')[0]?.slice(0, 80)}`);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return found;
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });

/** Every `src` folder outside the store. */
const scannedSources = (): string[] =>
  SCANNED.flatMap((top) =>
    readdirSync(join(ROOT, top), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && join(top, entry.name) !== HOME)
      .map((entry) => join(ROOT, top, entry.name, 'src')),
  ).filter((dir) => existsSync(dir));

describe('SQL lives in packages/store', () => {
  test('the detector knows SQL from prose', () => {
    expect(sqlLiterals('x.ts', 'const q = `SELECT ${cols} FROM nf_model_runs WHERE id = $1`;')).toHaveLength(
      1,
    );
    expect(sqlLiterals('x.ts', "db.query('SELECT 1')")).toHaveLength(1);
    expect(sqlLiterals('x.ts', "q('SELECT pg_advisory_xact_lock(hashtext($1))')")).toHaveLength(1);
    expect(sqlLiterals('x.ts', "q('DELETE FROM nf_sessions WHERE id = $1')")).toHaveLength(1);
    expect(sqlLiterals('x.ts', 'q(`UPDATE nf_users SET role = $2 WHERE id = $1`)')).toHaveLength(1);
    expect(sqlLiterals('x.ts', "q('LISTEN nflab_events')")).toHaveLength(1);
    expect(sqlLiterals('x.ts', 'const t = "select id from nf_trials";')).toHaveLength(1);
    // Comments and messages that merely mention SQL words are not statements.
    expect(sqlLiterals('x.ts', '// SELECT * FROM nf_model_runs\nconst a = 1;')).toEqual([]);
    expect(sqlLiterals('x.ts', "throw new Error('GRANT SELECT on it to the data role')")).toEqual([]);
    expect(sqlLiterals('x.ts', "const label = 'Select a model';")).toEqual([]);
  });

  test('no .ts file outside packages/store holds a SQL statement (file:line of each)', () => {
    const offenders = scannedSources()
      .flatMap(sourceFiles)
      .flatMap((file) => sqlLiterals(relative(ROOT, file), readFileSync(file, 'utf8')));
    expect(
      offenders,
      `SQL outside packages/store; move it into packages/store/src/repos/:\n${offenders.join('\n')}`,
    ).toEqual([]);
  });
});
