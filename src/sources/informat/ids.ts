import { decodeGlobalId, encodeGlobalId } from '../../domain/globalId.js';

/** Every global ID Informat's records carry, built and read here only. */

/** The school year is part of the ID because Informat can list a group's invoices only within one. */
export const invoiceGroupId = (accessGroup: string, schoolYear: string, groupNumber: number) =>
  encodeGlobalId({ type: 'InvoiceGroup', source: 'INFORMAT', connection: accessGroup, local: `${groupNumber}@${schoolYear}` });

/** Informat invoice IDs are UUIDs, kept lower-case so one invoice has one ID. */
export const invoiceId = (accessGroup: string, id: string) => encodeGlobalId({ type: 'Invoice', source: 'INFORMAT', connection: accessGroup, local: id.toLowerCase() });

/** An invoice group's number and school year, from its local ID. */
export function groupOfLocal(local: string): { number: number; schoolYear: string } {
  const [num, ...year] = local.split('@');
  return { number: Number(num), schoolYear: year.join('@') };
}

/** An invoice group's ID as a filter gives it; null when it is not an Informat group ID. */
export function readGroupId(raw: string): { number: number; schoolYear: string } | null {
  const id = decodeGlobalId(raw);
  return id && id.type === 'InvoiceGroup' && id.source === 'INFORMAT' ? groupOfLocal(id.local) : null;
}
