// The documents' vocabulary tables are the vocabulary's (app/scene/syntax/vocabulary.ts).
import { describe, expect, it } from 'vitest';
import { readDoc, sectionIn, vocabularySections } from './vocabulary-docs.ts';

describe('vocabulary tables in the documents', () => {
  for (const section of vocabularySections()) {
    it(`${section.file} holds the vocabulary's ${section.name} (npm run docs writes it)`, () => {
      expect(sectionIn(readDoc(section.file), section.name)).toBe(section.text);
    });
  }
});
