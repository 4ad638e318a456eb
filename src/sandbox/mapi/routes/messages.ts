import type { SandboxRequest, SandboxResponse, SandboxServer } from '../../server.js';
import { invalid, notFound, param, required, unprocessable } from '../errors.js';
import { canonicalKey } from '../parties.js';
import type { DocumentRecord, MessageRecord, MessageStore } from '../messages.js';

export const STATUSES = ['NotSet', 'Received', 'Delivered', 'Processed', 'Failed', 'PendingDelivery', 'PendingProcessing', 'Parked', 'Logged', 'LoggedFailed', 'Retrying', 'NotProcessing', 'LoggedRelayed', 'PendingReview'];
const VALIDATION: Record<string, string[]> = { valid: ['approved'], invalid: ['rejected'], unknown: ['unknown'], ignored: ['ignored'], missingdata: ['missingdata'] };

/** The JSON MAPI sends for a message: its copy, without the sandbox's bookkeeping. */
export function messageJson(m: MessageRecord) {
  return {
    uniqueId: m.uniqueId,
    timeReceived: m.timeReceived,
    ...(m.timeDelivered ? { timeDelivered: m.timeDelivered } : {}),
    documentNo: m.documentNo,
    status: m.status,
    transfer: m.transfer,
    validationStatus: m.validationStatus,
    service: m.service,
    action: m.action,
    conversation: m.conversation,
    referenceInformation: m.referenceInformation,
    originParty: m.originParty,
    destinationParty: m.destinationParty,
    documents: m.documents.map(({ content: _c, ...d }) => d),
  };
}

const samePartyAs = (a: string, b: string) => canonicalKey(a) !== null && canonicalKey(a) === canonicalKey(b);

function errorMessageOf(req: SandboxRequest): string | null {
  const q = param(req.query, 'errorMessage');
  if (q) return q;
  const text = req.body.toString('utf8').trim();
  if (!text) return null;
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json === 'string') return json || null;
    if (json && typeof json === 'object' && typeof (json as { errorMessage?: unknown }).errorMessage === 'string') return (json as { errorMessage: string }).errorMessage || null;
  } catch {
    return text;
  }
  return null;
}

function documentResponse(d: DocumentRecord): SandboxResponse {
  return { status: 200, headers: { 'content-type': d.contentType || 'application/octet-stream' }, body: d.content() };
}

/**
 * Messages as one party sees them: `ownerOf` names the signed-in user's party; every route acts on
 * that party's copy only.
 */
export function registerMessageRoutes(server: SandboxServer, store: MessageStore, ownerOf: (req: SandboxRequest) => string, now: () => number) {
  const copyOf = (req: SandboxRequest): MessageRecord | SandboxResponse => store.get(req.params.id!, ownerOf(req)) ?? notFound('Message not found.');

  server.route('GET /messages', (req) => {
    const owner = ownerOf(req);
    const offset = Number(param(req.query, 'Offset') ?? 0);
    const limit = Number(param(req.query, 'Limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalid({ Limit: ['The field Limit must be between 1 and 100.'] });
    if (!Number.isInteger(offset) || offset < 0) return invalid({ Offset: ['The field Offset must be between 0 and 2147483647.'] });
    if (offset % limit !== 0) return invalid({ Offset: ['Offset must be a multiple of Limit.'] });
    const status = param(req.query, 'Status');
    if (status && !STATUSES.some((s) => s.toLowerCase() === status.toLowerCase())) return invalid({ Status: [`The value '${status}' is not valid.`] });
    const validation = param(req.query, 'ValidationStatus');
    if (validation && !VALIDATION[validation.toLowerCase()]) return invalid({ ValidationStatus: [`The value '${validation}' is not valid.`] });
    const f = {
      transfer: param(req.query, 'Transfer')?.toLowerCase(),
      group: param(req.query, 'TransactionGroup')?.toLowerCase(),
      from: param(req.query, 'TimeReceivedFrom'),
      to: param(req.query, 'TimeReceivedTo'),
      source: param(req.query, 'SourcePartyIdentifier'),
      sink: param(req.query, 'SinkPartyIdentifier'),
      ownerParty: param(req.query, 'OwnerPartyIdentifier'),
      fromText: param(req.query, 'FromTextFilter')?.toLowerCase(),
      toText: param(req.query, 'ToTextFilter')?.toLowerCase(),
      reference: param(req.query, 'MessageReference')?.toLowerCase(),
    };
    for (const [name, value] of [['TimeReceivedFrom', f.from], ['TimeReceivedTo', f.to]] as const) {
      if (value && Number.isNaN(Date.parse(value))) return invalid({ [name]: [`The value '${value}' is not valid.`] });
    }
    if (f.ownerParty && !samePartyAs(f.ownerParty, owner)) return { status: 200, body: [] };
    const list = store
      .ownedBy(owner)
      .filter((m) =>
        (!status || m.status === status.toLowerCase()) &&
        (!f.transfer || m.transfer === f.transfer) &&
        (!f.group || m.action.toLowerCase() === f.group) &&
        (!f.from || Date.parse(m.timeReceived) >= Date.parse(f.from)) &&
        (!f.to || Date.parse(m.timeReceived) < Date.parse(f.to)) &&
        (!f.source || samePartyAs(m.originParty.identifier, f.source)) &&
        (!f.sink || samePartyAs(m.destinationParty.identifier, f.sink)) &&
        (!f.fromText || m.originParty.name.toLowerCase().includes(f.fromText)) &&
        (!f.toText || m.destinationParty.name.toLowerCase().includes(f.toText)) &&
        (!f.reference || m.documentNo.toLowerCase() === f.reference || m.uniqueId.toLowerCase() === f.reference) &&
        (!validation || VALIDATION[validation.toLowerCase()]!.includes(m.validationStatus)),
      )
      // Newest first; equal times in a stable order so pages never overlap.
      .sort((a, b) => b.timeReceived.localeCompare(a.timeReceived) || a.uniqueId.localeCompare(b.uniqueId));
    return { status: 200, body: list.slice(offset, offset + limit).map(messageJson) };
  });

  server.route('GET /messages/:id', (req) => {
    const m = copyOf(req);
    return 'uniqueId' in m ? { status: 200, body: messageJson(m) } : m;
  });

  for (const which of ['core', 'original', 'transformed'] as const) {
    server.route(`GET /messages/:id/documents/${which}`, (req) => {
      const m = copyOf(req);
      if (!('uniqueId' in m)) return m;
      if (which === 'core') return documentResponse(m.documents[0]!);
      if (!m.original) return unprocessable(`The message has no ${which} document.`);
      return documentResponse(which === 'original' ? m.original : m.documents[0]!);
    });
  }

  server.route('GET /messages/:id/documents/:ref', (req) => {
    const m = copyOf(req);
    if (!('uniqueId' in m)) return m;
    const ref = req.params.ref!;
    const d = /^\d+$/.test(ref) ? m.documents.find((x) => x.index === Number(ref)) : m.documents.find((x) => x.name === ref);
    return d ? documentResponse(d) : unprocessable(`Document '${ref}' not found in message.`);
  });

  server.route('GET /messages/:id/traces', (req) => {
    const m = copyOf(req);
    return 'uniqueId' in m ? { status: 200, body: m.traces } : m;
  });

  // The path is inferred (upstream-specs/mapi.md §6): both spellings are served.
  for (const path of ['validation-entries', 'validations']) {
    server.route(`GET /messages/:id/${path}`, (req) => {
      const m = copyOf(req);
      return 'uniqueId' in m ? { status: 200, body: m.validationEntries } : m;
    });
  }

  server.route('GET /messages/display/:id', (req) => {
    const found = store.byReference(req.params.id!);
    if (!found) return notFound('Document not found.');
    const ct = (param(req.query, 'ct') ?? '').toLowerCase();
    if (ct === 'raw') return documentResponse(found.document);
    if (ct !== '') return unprocessable(`Conversion to '${ct}' is not available.`);
    if (found.document.contentType !== 'text/xml') return documentResponse(found.document);
    const xml = found.document.content().toString('utf8').replace(/&/g, '&amp;').replace(/</g, '&lt;');
    return {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: `<!doctype html><html><head><meta charset="utf-8"><title>${found.message.documentNo}</title></head><body><h1>${found.document.name} ${found.message.documentNo}</h1><pre>${xml}</pre></body></html>`,
    };
  });

  const mark = (action: string, allowed: string[], next: (m: MessageRecord, req: SandboxRequest) => SandboxResponse | null) =>
    server.route(`POST /messages/:id/${action}`, (req) => {
      const m = copyOf(req);
      if (!('uniqueId' in m)) return m;
      if (!allowed.includes(m.status)) {
        return unprocessable(`The message status must be ${allowed.map((s) => `'${s}'`).join(' or ')} to call ${action}; it is '${m.status}'.`);
      }
      const refused = next(m, req);
      if (refused) return refused;
      m.traces.push({ timestamp: new Date(now()).toISOString(), typeName: action, message: `Status set to ${m.status}` });
      return { status: 200, body: 'Status successfully set.', headers: { 'content-type': 'text/plain' } };
    });

  mark('mark-as-processed', ['pendingprocessing'], (m) => {
    m.status = 'pendingdelivery';
    return null;
  });
  mark('mark-as-delivered', ['pendingdelivery', 'pendingprocessing'], (m) => {
    m.status = 'delivered';
    m.timeDelivered = new Date(now()).toISOString();
    return null;
  });
  mark('mark-as-failed', ['pendingdelivery', 'pendingprocessing'], (m, req) => {
    const reason = errorMessageOf(req);
    if (!reason) return required('errorMessage');
    m.status = 'failed';
    m.traces.push({ timestamp: new Date(now()).toISOString(), typeName: 'MarkedAsFailed', message: reason });
    return null;
  });
}
