/**
 * Rule ids across the documents (docs/architecture.md, "Tests and
 * benchmarks"): a behaviour rule is defined once, in one document, as a bold
 * paragraph (`**GRAB1 — Claim.**`) or as the first cell of a table row
 * (`| RELAY1 | ... |`), and tests cite it: `[GRAB1]` in a TypeScript test's
 * name or opening comment (ranges such as `[ENV1-ENV5]` cite each), or the id
 * in the parser's Rust tests and their snapshot files, which hold the
 * diagnostic codes the parser reports. `tools/rule-ids.test.ts` fails on an
 * id defined in two documents (RULES1) and on an id no test cites (RULES2).
 *
 * @example
 *   const { docs, tests } = readRuleSources(root);
 *   definedRules(docs).get('GRAB1');   // Set { 'docs/interaction.md' }
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface SourceFile {
  /** Path from the repository root, with forward slashes. */
  file: string;
  text: string;
}

const ID = '[A-Z][A-Z]+[0-9]+';
const DEFINITION = [new RegExp(`^\\*\\*(${ID}) —`), new RegExp(`^\\| (${ID}) \\|`)];
const CITATION = new RegExp(`\\[(${ID})(?:-(${ID}))?\\]`, 'g');
const WORD = new RegExp(`\\b(${ID})\\b`, 'g');

/** Rule id -> the documents that define it. */
export function definedRules(docs: readonly SourceFile[]): Map<string, Set<string>> {
  const defined = new Map<string, Set<string>>();
  for (const { file, text } of docs) {
    for (const line of text.split('\n')) {
      for (const pattern of DEFINITION) {
        const id = pattern.exec(line)?.[1];
        if (!id) continue;
        const files = defined.get(id) ?? new Set<string>();
        files.add(file);
        defined.set(id, files);
      }
    }
  }
  return defined;
}

/** `[A1]` cites A1; `[A1-A4]` cites A1, A2, A3 and A4. */
export function bracketCitations(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(CITATION)) {
    const [, first, last] = match as unknown as [string, string, string | undefined];
    if (!last) {
      ids.push(first);
      continue;
    }
    const [, prefix, from] = /^([A-Z]+)([0-9]+)$/.exec(first) as RegExpExecArray;
    const [, lastPrefix, to] = /^([A-Z]+)([0-9]+)$/.exec(last) as RegExpExecArray;
    if (prefix !== lastPrefix) continue;
    for (let n = Number(from); n <= Number(to); n++) ids.push(`${prefix}${n}`);
  }
  return ids;
}

/** Every rule id some test cites. */
export function citedRules(tests: readonly SourceFile[]): Set<string> {
  const cited = new Set<string>();
  for (const { file, text } of tests) {
    const ids = file.startsWith('wasm-parser/')
      ? [...text.matchAll(WORD)].map((m) => m[1] as string)
      : bracketCitations(text);
    for (const id of ids) cited.add(id);
  }
  return cited;
}

/** Files under `dirs` of `root` that `keep` accepts (no node_modules, build output or dot folders). */
function readTree(root: string, dirs: readonly string[], keep: (file: string) => boolean): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(root, dir))) {
      if (name.startsWith('.') || name === 'node_modules' || name === 'target') continue;
      const file = `${dir}/${name}`;
      if (statSync(path.join(root, file)).isDirectory()) walk(file);
      else if (keep(file)) out.push({ file, text: readFileSync(path.join(root, file), 'utf8') });
    }
  };
  for (const dir of dirs) walk(dir);
  return out;
}

/** The documents, and the tests that may cite their rules. */
export function readRuleSources(root: string): { docs: SourceFile[]; tests: SourceFile[] } {
  return {
    docs: readTree(root, ['docs'], (file) => file.endsWith('.md')),
    tests: [
      ...readTree(root, ['app', 'server', 'service-worker', 'testing', 'tools', 'e2e', 'scripts', 'bench'], (file) =>
        /\.(test|e2e)\.tsx?$/.test(file),
      ),
      ...readTree(root, ['wasm-parser/tests'], () => true),
    ],
  };
}
