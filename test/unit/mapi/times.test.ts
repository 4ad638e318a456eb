import { describe, expect, it } from 'vitest';
import { utcInstant } from '../../../src/sources/mapi/map.js';

describe('MAPI times', () => {
  it('a time without an offset is UTC, written with Z, whatever the gateway\'s zone', () => {
    expect(utcInstant('2023-03-01T10:00:00.123')).toBe('2023-03-01T10:00:00.123Z');
    expect(Date.parse(utcInstant('2023-03-01T10:00:00')!)).toBe(Date.UTC(2023, 2, 1, 10));
  });
  it('a time with its zone stays as written; nothing stays nothing; an unreadable one is kept as written', () => {
    expect(utcInstant('2020-06-25T15:11:46.9999283Z')).toBe('2020-06-25T15:11:46.9999283Z');
    expect(utcInstant('2023-03-01T12:00:00+02:00')).toBe('2023-03-01T12:00:00+02:00');
    expect(utcInstant(null)).toBe(null);
    expect(utcInstant('soon')).toBe('soon');
  });
});
