// Canonical output of the pretty-printer; its round-trip property is in
// parser.property.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParserModuleForNode } from '../../../tools/node-parser.ts';
import type { ParserModule } from '../parser/wasm-module.ts';
import { printDocument, printExpression, quote } from './printer.ts';

let parser: ParserModule;

beforeAll(async () => {
  parser = await loadParserModuleForNode();
});

const format = (text: string) => printDocument(parser.parse(text).document);

describe('printer', () => {
  it('prints members in a canonical layout', () => {
    const text = 'object Cube @clickable{color:#f00;position:[0,1,0]\n on_click{set lit true}}';
    expect(format(text)).toBe(
      [
        'object "Cube" {',
        '  @clickable',
        '  color: #f00',
        '  position: [0, 1, 0]',
        '  on_click {',
        '    set lit true',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('adds parentheses only where precedence needs them', () => {
    const value = (text: string) => {
      const property = parser.parse(`x: ${text}`).document.properties[0];
      if (!property) throw new Error(`no property in ${text}`);
      return printExpression(property.value);
    };
    expect(value('(1 + 2) * 3')).toBe('(1 + 2) * 3');
    expect(value('1 + (2 * 3)')).toBe('1 + 2 * 3');
    expect(value('a - (b - c)')).toBe('a - (b - c)');
    expect(value('-(-x)')).toBe('-(-x)');
    expect(value('(5).x')).toBe('(5).x');
  });

  it('quotes strings so the lexer reads them back unchanged', () => {
    expect(quote('say "hi"\n\\ \u0001')).toBe('"say \\"hi\\"\\n\\\\ \\u{1}"');
  });

  it('keeps else-if chains flat and handlers in their written form', () => {
    const text = 'h() { if a { x = 1 } else { if b { y = 2 } } }\nonGrab: {}\non_drop(e) {}';
    expect(format(text)).toBe(
      [
        'h() {',
        '  if a {',
        '    x = 1',
        '  } else if b {',
        '    y = 2',
        '  }',
        '}',
        'onGrab: {}',
        'on_drop(e) {}',
        '',
      ].join('\n'),
    );
  });
});
