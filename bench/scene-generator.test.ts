// The benchmark's input must stay what its name says: 1000 lines of valid
// script exercising every construct, identical on every run.
import { describe, expect, it } from 'vitest';
import type { Body, Node } from '../app/scene/syntax/ast.ts';
import { loadParserModuleForNode } from '../tools/node-parser.ts';
import { generateScene } from './scene-generator.ts';

/** Every node kind that occurs in a tree. */
function kinds(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) kinds(item, found);
  else if (node && typeof node === 'object') {
    const kind = (node as Partial<Node>).kind;
    if (kind) found.add(kind);
    for (const value of Object.values(node as Body)) kinds(value, found);
  }
  return found;
}

describe('benchmark scene', () => {
  it('is exactly 1000 lines, deterministic, and parses without errors', async () => {
    const text = generateScene(1000);
    expect(text.split('\n')).toHaveLength(1000);
    expect(generateScene(1000)).toBe(text);
    const result = (await loadParserModuleForNode()).parse(text);
    expect(result.errors).toBe(0);
    expect(result.diagnostics.map((d) => d.code).sort()).toEqual(['LANG1', 'LANG2']);
  });

  it('mixes the constructs of the language', async () => {
    const result = (await loadParserModuleForNode()).parse(generateScene(1000));
    const found = kinds(result.document);
    for (const kind of [
      'Import',
      'Composition',
      'Object',
      'Template',
      'Group',
      'Environment',
      'Light',
      'State',
      'UnknownBlock',
      'Trait',
      'Property',
      'Handler',
      'Assign',
      'If',
      'ExprStatement',
      'Command',
      'Number',
      'String',
      'Boolean',
      'Identifier',
      'Color',
      'ArrayLiteral',
      'ObjectLiteral',
      'Unary',
      'Binary',
      'Member',
      'Call',
    ]) {
      expect(found, kind).toContain(kind);
    }
    const forms = new Set<string>();
    const visit = (body: Body) => {
      for (const handler of body.handlers) forms.add(handler.form);
      for (const child of body.children) visit(child);
    };
    visit(result.document);
    expect([...forms].sort()).toEqual(['block', 'colon', 'params']);
  });
});
