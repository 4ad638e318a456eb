/**
 * JSON with exact decimal numbers: wrap a decimal string in `decimalNumber()` and it is written as
 * a JSON number literal (10.50, not "10.50" and not 10.5 after a trip through a float).
 */
const MARK = '\u0000decimal:';

export class DecimalNumber {
  constructor(readonly text: string) {
    if (!/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) throw new RangeError(`not a decimal: ${text}`);
  }
  toJSON(): string {
    return MARK + this.text;
  }
}

export const decimalNumber = (text: string) => new DecimalNumber(text);

export function stringifyWithDecimals(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000decimal:(-?[0-9.]+)"/g, '$1');
}
