import { describe, expect, it } from 'vitest';
import { instant, toSourceCapability } from '../../src/sources/ibanity/map.js';
import { refusalErrors } from '../../src/sources/ibanity/suppliers.js';

describe('Ibanity words in the unified model', () => {
  it('puts each validation error on the input field its JSON pointer names', () => {
    const errors = refusalErrors(
      {
        ok: false,
        status: 400,
        errors: [
          { code: 'validationError', detail: 'zip: must not be blank', source: { pointer: '/data/attributes/zip' } },
          { code: 'validationError', detail: 'enterpriseIdentification/vatNumber: must be a valid Belgian VAT number', source: { pointer: '/data/attributes/enterpriseIdentification/vatNumber' } },
          { code: 'somethingNew', detail: 'no pointer' },
        ],
      },
      'the supplier',
    );
    expect(errors.map((e) => [e.code, e.field?.join('.') ?? null])).toEqual([
      ['VALIDATION_FAILED', 'input.postalCode'],
      ['VALIDATION_FAILED', 'input.enterpriseNumber'],
      ['UPSTREAM_REJECTED', null],
    ]);
  });

  it('reads timestamps with microseconds, and the `+00:00` that arrives as ` 00:00`', () => {
    expect(instant('2025-01-18T15:10:56.719813Z')).toBe('2025-01-18T15:10:56.719Z');
    expect(instant('2025-01-18T15:10:56.719813 00:00')).toBe('2025-01-18T15:10:56.719Z');
    expect(instant('not a time')).toBeNull();
  });

  it('keeps only the formats of the document type asked, and a search that found nothing is NOT_FOUND', () => {
    const search = {
      id: 'x',
      attributes: {
        customerReference: '0208:0840559537',
        supportedDocumentFormats: [
          { localName: 'Invoice', customizationId: 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0', profileId: 'p' },
          { localName: 'CreditNote', customizationId: 'urn:cen.eu:en16931:2017#conformant#urn:UBL.BE:1.0.0.20180214', profileId: 'p' },
        ],
      },
    };
    expect(toSourceCapability('CREDIT_NOTE', search, 't').formats.map((f) => f.name)).toEqual(['UBL.BE']);
    expect(toSourceCapability('ORDER', search, 't')).toMatchObject({ status: 'READY', formats: [] });
    expect(toSourceCapability('INVOICE', null, 't')).toEqual({ status: 'NOT_FOUND', formats: [], checkedAt: 't' });
  });
});
