import { randomUUID } from 'node:crypto';
import type { SandboxRequest, SandboxServer } from '../../server.js';
import { dataOf, errors, isResponse, ok, page, paging, stamp, uuidParam } from '../jsonapi.js';
import { TEST_RECEIVER_FORMATS, TEST_RECEIVERS } from '../seed.js';
import type { IbanityState, OutboundRecord } from '../state.js';
import type { WebhookSender } from '../webhooks.js';

const BUSINESS_CODES = ['acknowledged', 'accepted', 'rejected'];
const TYPE = { invoice: 'peppolInvoice', 'credit-note': 'peppolCreditNote' } as const;

const outboundJson = (d: OutboundRecord, type: string = TYPE[d.kind]) => ({
  id: d.id,
  type,
  attributes: {
    createdAt: stamp(d.createdAt),
    status: d.status,
    technicalStatus: d.status,
    statusChangedAt: stamp(d.statusChangedAt),
    ...(d.transmissionId ? { transmissionId: d.transmissionId } : {}),
    ...(d.errors.length ? { errors: d.errors } : {}),
    ...(d.businessStatus ? { businessStatus: d.businessStatus } : {}),
  },
  relationships: { supplier: { data: { id: d.supplierId, type: 'supplier' } } },
});

/** An ISO instant query parameter; `required` ones missing are invalidParameter. */
function instant(req: SandboxRequest, name: string, required: boolean): number | null | ReturnType<typeof errors> {
  const v = req.query.get(name);
  if (v === null || v === '') return required ? errors(400, { code: 'invalidParameter', detail: `The parameter '${name}' is required` }) : null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? errors(400, { code: 'invalidParameter', detail: `The parameter '${name}' expected type is: 'date-time'` }) : t;
}

const WINDOW_MS = 7 * 86_400_000;

export function registerPeppolRoutes(server: SandboxServer, state: IbanityState, webhooks: WebhookSender, now: () => number) {
  /** The list item's type as the `outboundListType` variant has it. */
  const listType = (d: OutboundRecord) => {
    const specific = d.kind === 'invoice' ? 'peppolOutboundInvoice' : 'peppolOutboundCreditNote';
    const v = state.variants.outboundListType;
    return v === 'generic' || (v === 'mixed' && parseInt(d.id.slice(-1), 16) % 2 === 0) ? 'peppolOutboundDocument' : specific;
  };
  const supplierOf = (req: SandboxRequest) => {
    const id = uuidParam(req, 'supplierId');
    if (typeof id !== 'string') return id;
    return state.suppliers.get(id) ?? errors(404, { code: 'resourceNotFound', detail: `Supplier ${id} not found` });
  };

  server.route('POST /einvoicing/peppol/customer-searches', (req) => {
    const data = dataOf(req);
    if (isResponse(data)) return data;
    const ref = data.attributes.customerReference;
    if (typeof ref !== 'string' || !ref.trim()) return errors(400, { code: 'validationError', detail: 'customerReference: must not be blank', source: { pointer: '/data/attributes/customerReference' } });
    if (!TEST_RECEIVERS.includes(ref.trim().toUpperCase())) return errors(404, { code: 'customerNotFound', detail: `Customer not found: ${ref}` });
    return ok({ data: { id: randomUUID(), type: 'peppolCustomerSearch', attributes: { customerReference: ref, supportedDocumentFormats: TEST_RECEIVER_FORMATS } } });
  });

  for (const kind of ['invoice', 'credit-note'] as const) {
    const plural = kind === 'invoice' ? 'invoices' : 'credit-notes';
    // The raw UBL is the body (not JSON, not multipart); what Ibanity thinks of it shows in the status later.
    server.route(`POST /einvoicing/peppol/suppliers/:supplierId/${plural}`, (req) => {
      const s = supplierOf(req);
      if (!('attributes' in s)) return s;
      if (s.attributes.onboardingStatus !== 'ONBOARDED') return errors(403, { code: 'supplierNotOnboarded', detail: `Supplier ${s.id} is ${s.attributes.onboardingStatus.toLowerCase()}, not onboarded` });
      if (req.body.length === 0) return errors(400, { code: 'invalidPayload', detail: 'The submitted payload could not be parsed.' });
      const d = state.submit(s, kind, req.body.toString('utf8'));
      return ok({ data: outboundJson(d) }, 201);
    });
    server.route(`GET /einvoicing/peppol/suppliers/:supplierId/${plural}/:documentId`, (req) => {
      const s = supplierOf(req);
      if (!('attributes' in s)) return s;
      const id = uuidParam(req, 'documentId');
      if (typeof id !== 'string') return id;
      const d = state.outbound.get(id);
      if (!d || d.supplierId !== s.id || d.kind !== kind) return errors(404, { code: 'resourceNotFound', detail: `Document ${id} not found` });
      return ok({ data: outboundJson(d) });
    });
  }

  /**
   * Outbound documents by status-change time. The window is bounded as ibanity-dotnet's
   * `PeppolOutboundDocuments` documents it: `fromStatusChanged` within 7 days of
   * `toStatusChanged` (now when absent), and `to` not before `from`; JS3P saw an API error past
   * 6-7 days. The lookback is required, as the SDK sends it. The 400's `invalidParameter` code is
   * Ibanity's documented one for a bad parameter; the detail text is the simulator's own (Ibanity's
   * wording for this case is not published).
   */
  server.route('GET /einvoicing/peppol/documents', (req) => {
    const p = paging(req);
    if (isResponse(p)) return p;
    const from = instant(req, 'fromStatusChanged', true);
    const to = instant(req, 'toStatusChanged', false);
    if (typeof from === 'object' && from !== null) return from;
    if (typeof to === 'object' && to !== null) return to;
    const end = to ?? now();
    if (end < (from as number)) return errors(400, { code: 'invalidParameter', detail: "The parameter 'toStatusChanged' must not be before 'fromStatusChanged'" });
    if (end - (from as number) > WINDOW_MS) return errors(400, { code: 'invalidParameter', detail: "The parameter 'fromStatusChanged' must be within 7 days of 'toStatusChanged'" });
    const supplierId = req.query.get('supplierId');
    const list = [...state.outbound.values()]
      .filter((d) => d.statusChangedAt >= (from as number) && d.statusChangedAt <= end && (!supplierId || d.supplierId === supplierId))
      .sort((a, b) => b.statusChangedAt - a.statusChangedAt || b.id.localeCompare(a.id));
    return page(list, p, (d) => outboundJson(d, listType(d)), state.variants.pageSizeCap);
  });

  const inboundJson = (d: (typeof state.inbound)[number]) => ({
    id: d.id,
    type: 'peppolInboundDocument',
    attributes: { createdAt: stamp(d.createdAt), transmissionId: d.transmissionId },
    relationships: { supplier: { data: { id: d.supplierId, type: 'supplier' } } },
  });

  // Inbound documents by creation time; a supplier that is not a Peppol receiver has none.
  server.route('GET /einvoicing/peppol/inbound-documents', (req) => {
    const p = paging(req);
    if (isResponse(p)) return p;
    const from = instant(req, 'fromCreatedAt', true);
    if (typeof from === 'object' && from !== null) return from;
    const supplierId = req.query.get('supplierId');
    const list = state.inbound
      .filter((d) => d.createdAt >= (from as number) && (!supplierId || d.supplierId === supplierId) && state.suppliers.get(d.supplierId)?.attributes.peppolReceiver)
      .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
    if (state.variants.inboundOrder === 'oldest') list.reverse();
    return page(list, p, inboundJson, state.variants.pageSizeCap);
  });

  const inboundOf = (req: SandboxRequest) => {
    const id = uuidParam(req, 'documentId');
    if (typeof id !== 'string') return id;
    return state.inbound.find((d) => d.id === id) ?? errors(404, { code: 'resourceNotFound', detail: `Inbound document ${id} not found` });
  };

  server.route('GET /einvoicing/peppol/inbound-documents/:documentId', (req) => {
    const d = inboundOf(req);
    if (!('xml' in d)) return d;
    if (String(req.headers.accept ?? '').includes('application/xml')) return { status: 200, headers: { 'content-type': 'application/xml' }, body: d.xml };
    return ok({ data: inboundJson(d) });
  });

  const statusJson = (s: { id: string; code: string; createdAt: number }) => ({ id: s.id, type: 'peppolInboundDocumentBusinessStatus', attributes: { code: s.code, createdAt: stamp(s.createdAt), technicalStatus: 'sent' } });

  server.route('GET /einvoicing/peppol/inbound-documents/:documentId/business-statuses', (req) => {
    const d = inboundOf(req);
    if (!('xml' in d)) return d;
    return ok({ data: d.businessStatuses.map(statusJson) });
  });

  server.route('POST /einvoicing/peppol/inbound-documents/:documentId/business-statuses', (req) => {
    const d = inboundOf(req);
    if (!('xml' in d)) return d;
    const data = dataOf(req);
    if (isResponse(data)) return data;
    const code = data.attributes.code;
    if (typeof code !== 'string' || !BUSINESS_CODES.includes(code)) return errors(400, { code: 'validationError', detail: `code: must be one of ${BUSINESS_CODES.join(', ')}`, source: { pointer: '/data/attributes/code' } });
    const status = { id: randomUUID(), code, createdAt: now() };
    d.businessStatuses.push(status);
    // The sender sees the answer on its outbound document.
    const original = d.outboundId ? state.outbound.get(d.outboundId) : undefined;
    if (original) original.businessStatus = code;
    return ok({ data: statusJson(status) }, 201);
  });

  server.route('GET /webhooks/keys', () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: webhooks.jwks() }));
}
