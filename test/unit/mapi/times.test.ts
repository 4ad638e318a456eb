import { describe, expect, it } from 'vitest';
import { utcInstant } from '../../../src/sources/mapi/map.js';

describe('MAPI times', () => {
  it('a time without an offset is UTC, written with Z, whatever the gateway\'s zone', () => {
    expect(utcInstant('2023-03-01T10:00:00.123')).toBe('2023-03-01T10:00:00.123Z');
    expect(utcInstant('2023-03-01T10:00:00')).toBe('2023-03-01T10:00:00.000Z');
  });
  it('a time with an offset keeps its instant; nothing stays nothing; an unreadable one is kept as written', () => {
    expect(utcInstant('2023-03-01T12:00:00+02:00')).toBe('2023-03-01T10:00:00.000Z');
    expect(utcInstant('2023-03-01T10:00:00Z')).toBe('2023-03-01T10:00:00.000Z');
    expect(utcInstant(null)).toBe(null);
    expect(utcInstant('soon')).toBe('soon');
  });
});
