import { describe, expect, it } from 'vitest';
import { statusWindows, WINDOW_DAYS } from '../../../src/sources/ibanity/window.js';

const DAY = 86_400_000;

describe('Ibanity outbound list windows', () => {
  it('cover the range newest first, each at most 7 days, touching end to start', () => {
    const w = statusWindows(0, 20 * DAY, 13);
    expect(w).toEqual([{ from: 13 * DAY, to: 20 * DAY }, { from: 6 * DAY, to: 13 * DAY }, { from: 0, to: 6 * DAY }]);
    for (const x of w) expect(x.to - x.from).toBeLessThanOrEqual(WINDOW_DAYS * DAY);
  });

  it('a range of 7 days or less is one window; from after to is none', () => {
    expect(statusWindows(DAY, 8 * DAY, 1)).toEqual([{ from: DAY, to: 8 * DAY }]);
    expect(statusWindows(5, 5, 1)).toEqual([{ from: 5, to: 5 }]);
    expect(statusWindows(9, 5, 1)).toEqual([]);
  });

  it('refuses a range that needs more windows than allowed, saying how far back it may reach', () => {
    expect(() => statusWindows(0, 92 * DAY, 13)).toThrow(/14 requests, more than the 13 allowed \(91 days/);
  });
});
