import { describe, expect, it } from 'vitest';
import { addAnnotationSchema, searchAnnotations, type Annotation } from './annotation.ts';

const note = (id: string, time: number, machine: number | null, author: string, text: string): Annotation => ({ id: `0000000${id}`, time, machine, author, text, createdAt: time });

describe('annotations', () => {
  it('are found by every word of a search in their text, author or machine name, in time order', () => {
    const notes = [note('2', 2000, 1, 'Ben', 'Valve changed'), note('1', 1000, null, 'Ana', 'Shift change'), note('3', 3000, 0, 'Ana', 'Door open')];
    const machines = ['Oven', 'Pump'];
    const ids = (query: string) => searchAnnotations(notes, query, (machine) => machines[machine]!).map((found) => found.id.slice(-1));
    expect(ids('')).toEqual(['1', '2', '3']);
    expect(ids('change')).toEqual(['1', '2']);
    expect(ids('ana CHANGE')).toEqual(['1']);
    expect(ids('pump')).toEqual(['2']);
    expect(ids('oven door')).toEqual(['3']);
    expect(ids('nothing')).toEqual([]);
  });

  it('a view may add only a note with an author on one line and text without control characters, within bounds', () => {
    const valid = { time: 1000, machine: null, author: ' Ana ', text: 'Line one\nline two' };
    expect(addAnnotationSchema.parse(valid)).toEqual({ ...valid, author: 'Ana' });
    for (const invalid of [
      { ...valid, author: '' },
      { ...valid, author: 'A\nB' },
      { ...valid, author: 'x'.repeat(65) },
      { ...valid, text: ' \n ' },
      { ...valid, text: 'bell \u0007' },
      // Names and text that read as something else than they hold: a direction override, a line separator.
      { ...valid, author: 'Ana \u202eevil' },
      { ...valid, author: 'Ana\u2028Bob' },
      { ...valid, text: 'valve \u2066open\u2069 ok' },
      { ...valid, text: 'x'.repeat(2001) },
      { ...valid, time: -1 },
      { ...valid, machine: 1.5 },
      { ...valid, id: 'mine' },
    ]) {
      expect(addAnnotationSchema.safeParse(invalid).success, JSON.stringify(invalid).slice(0, 60)).toBe(false);
    }
  });
});
