import { randomBytes } from 'node:crypto';
import { tinyPdf } from '../ubl.js';

export interface DocumentRecord {
  index: number;
  name: string;
  contentType: string;
  encoding: string;
  referenceId: string;
  namespace: string;
  attachmentType: 'Core' | 'Attached';
  isTransformed: boolean;
  /** Made when asked for, so thousands of seeded messages cost little memory. */
  content: () => Buffer;
}

export interface TraceRecord {
  timestamp: string;
  sourceIp?: string;
  sourceUser?: string;
  sourcePartyName?: string;
  typeName: string;
  message: string;
}

export interface ValidationEntry {
  statusType: string;
  referenceKey: string;
  friendlyMessage: string;
  detailMessage: string;
}

/** One party's copy of a message: the sender's (outbound) and the receiver's (inbound) share `uniqueId`. */
export interface MessageRecord {
  uniqueId: string;
  /** Canonical key of the party whose copy this is. */
  owner: string;
  timeReceived: string;
  timeDelivered: string | null;
  documentNo: string;
  status: string;
  transfer: 'inbound' | 'outbound';
  validationStatus: string;
  service: string;
  action: string;
  conversation: string;
  referenceInformation: string;
  originParty: { identifier: string; name: string };
  destinationParty: { identifier: string; name: string };
  documents: DocumentRecord[];
  traces: TraceRecord[];
  validationEntries: ValidationEntry[];
  /** The JSON metadata a transaction was created from, for GET /transactions/...?messageId=. */
  metadata: Record<string, unknown> | null;
  /** Where the original (pre-transformation) document is, when the core was transformed. */
  original: DocumentRecord | null;
}

export const BILLING_SERVICE = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0##PEPPOL-3.0-ENUBL';
const INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
const CREDIT_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';

/** `{guidNoDashes}:{ownerType}:{ownerId}:{index}:{passcode}` as in the document. */
export function referenceId(uniqueId: string, ownerIdentifier: string, index: number, passcode = randomBytes(8).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 9).padEnd(8, 'x')): string {
  return `${uniqueId.replace(/-/g, '')}:${ownerIdentifier}:${index}:${passcode}`;
}

export function coreDocument(uniqueId: string, ownerIdentifier: string, kind: 'Invoice' | 'CreditNote', make: () => string, passcode?: string): DocumentRecord {
  return {
    index: 0,
    name: kind,
    contentType: 'text/xml',
    encoding: 'utf-8',
    referenceId: referenceId(uniqueId, ownerIdentifier, 0, passcode),
    namespace: kind === 'Invoice' ? INVOICE_NS : CREDIT_NS,
    attachmentType: 'Core',
    isTransformed: false,
    content: () => Buffer.from(make(), 'utf8'),
  };
}

export function attachment(uniqueId: string, ownerIdentifier: string, index: number, name: string, contentType: string, passcode?: string): DocumentRecord {
  return {
    index,
    name,
    contentType,
    encoding: '',
    referenceId: referenceId(uniqueId, ownerIdentifier, index, passcode),
    namespace: '',
    attachmentType: 'Attached',
    isTransformed: false,
    content: () => tinyPdf(name),
  };
}

export class MessageStore {
  private readonly copies = new Map<string, MessageRecord>();

  static key(uniqueId: string, owner: string) {
    return `${uniqueId.toLowerCase()}|${owner}`;
  }

  add(m: MessageRecord): void {
    this.copies.set(MessageStore.key(m.uniqueId, m.owner), m);
  }

  get(uniqueId: string, owner: string): MessageRecord | undefined {
    return this.copies.get(MessageStore.key(uniqueId, owner));
  }

  /** Any copy with this id, whoever owns it (ids are unique per sender). */
  exists(uniqueId: string): boolean {
    for (const m of this.copies.values()) if (m.uniqueId.toLowerCase() === uniqueId.toLowerCase()) return true;
    return false;
  }

  ownedBy(owner: string): MessageRecord[] {
    return [...this.copies.values()].filter((m) => m.owner === owner);
  }

  byReference(referenceId: string): { message: MessageRecord; document: DocumentRecord } | null {
    for (const m of this.copies.values()) {
      const d = m.documents.find((x) => x.referenceId === referenceId);
      if (d) return { message: m, document: d };
    }
    return null;
  }

  get size() {
    return this.copies.size;
  }

  /** Forgets every copy of a message, as a reset sandbox (or a purge) would. */
  forget(uniqueId: string): void {
    for (const [k, m] of this.copies) if (m.uniqueId.toLowerCase() === uniqueId.toLowerCase()) this.copies.delete(k);
  }
}
