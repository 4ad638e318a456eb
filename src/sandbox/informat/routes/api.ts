import Big from 'big.js';
import { execute, parse, validate, type DocumentNode } from 'graphql';
import { SandboxServer, type SandboxRequest, type SandboxResponse } from '../../server.js';
import { streamedPdf } from '../../pdf.js';
import { createInformatSchema, writeJson } from '../schema.js';
import { openAmount } from '../seed.js';
import { READ_SCOPE_PREFIX, type createIdentityServer } from './identity.js';
import type { InformatData, InvoiceRecord } from '../model.js';

type Identity = ReturnType<typeof createIdentityServer>;

export interface ApiOptions {
  /** Delay between a create-PDF command and the PDF appearing. */
  pdfDelayMs: number;
  now: () => number;
}

const unauthorized = (invalid: boolean): SandboxResponse => ({
  status: 401,
  headers: { 'www-authenticate': invalid ? 'Bearer error="invalid_token"' : 'Bearer' },
  body: '',
});
const text = (status: number, message: string): SandboxResponse => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: message });

/** The invoice's PDF, made while it is sent so that large files cost no memory. */
const pdfStream = (inv: InvoiceRecord) => streamedPdf(inv.pdf.sizeBytes, `invoice ${inv.invoiceId} ${inv.paymentReference}`);

export function createApiServer(data: InformatData, identity: Identity, opts: ApiOptions) {
  const server = new SandboxServer('informat-api');
  const schema = createInformatSchema(data);
  const parsed = new Map<string, DocumentNode>();

  /** The access group a token opens, or a 401 response. */
  const authorize = (req: SandboxRequest): string | SandboxResponse => {
    const grant = identity.check(req.headers.authorization);
    if (grant === 'missing' || grant === 'invalid') return unauthorized(grant === 'invalid');
    return grant.scope.startsWith(READ_SCOPE_PREFIX) ? grant.scope.slice(READ_SCOPE_PREFIX.length) : '';
  };

  /** The invoice of a REST call, or the documented error for it. */
  const invoiceFor = (tokenGroup: string, req: SandboxRequest): InvoiceRecord | SandboxResponse => {
    const { accessGroup, invoiceId } = req.params as { accessGroup: string; invoiceId: string };
    if (accessGroup !== tokenGroup) return text(403, 'Access group is out of scope / no access allowed');
    const inv = data.invoices.get(invoiceId.toLowerCase());
    if (!inv || inv.accessGroup !== accessGroup) return text(403, 'InvoiceId is out of scope / no access allowed');
    return inv;
  };

  /** A REST route on one invoice: token, access group and invoice checked as Informat checks them. */
  const onInvoice = (handler: (inv: InvoiceRecord, req: SandboxRequest) => SandboxResponse) => (req: SandboxRequest): SandboxResponse => {
    const ag = authorize(req);
    if (typeof ag !== 'string') return ag;
    const inv = invoiceFor(ag, req);
    return 'invoiceId' in inv ? handler(inv, req) : inv;
  };

  server.route('POST /graphql', (req) => {
    const ag = authorize(req);
    if (typeof ag !== 'string') return ag;
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return { status: 400, body: { errors: [{ message: 'Invalid JSON request body.', extensions: { code: 'HC0011' } }] } };
    }
    if (typeof body.query !== 'string') return { status: 400, body: { errors: [{ message: 'The GraphQL request is empty.', extensions: { code: 'HC0012' } }] } };
    let doc = parsed.get(body.query);
    if (!doc) {
      try {
        doc = parse(body.query);
      } catch (err) {
        return { status: 400, body: { errors: [{ message: (err as Error).message, extensions: { code: 'HC0011' } }] } };
      }
      const problems = validate(schema, doc);
      if (problems.length) return { status: 400, body: { errors: problems.map((p) => p.toJSON()) } };
      if (parsed.size > 500) parsed.clear();
      parsed.set(body.query, doc);
    }
    const result = execute({
      schema,
      document: doc,
      variableValues: (body.variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
      contextValue: { tokenAccessGroup: ag, apiUrl: server.url, now: opts.now },
    }) as { data?: unknown; errors?: readonly { extensions?: Record<string, unknown>; toJSON(): unknown }[] };
    const errors = result.errors?.map((e) => e.toJSON());
    const forbidden = result.errors?.some((e) => e.extensions?.code === 'AUTH_NOT_AUTHORIZED');
    return {
      status: forbidden ? 403 : 200,
      headers: { 'content-type': 'application/graphql-response+json; charset=utf-8' },
      body: writeJson(errors ? { errors, data: result.data ?? null } : { data: result.data }),
    };
  });

  server.route('POST /api/payments/:accessGroup/:invoiceId', onInvoice((inv, req) => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return text(500, 'An error occurred while processing your request.');
    }
    const missing = ['invoiceId', 'paymentReference', 'amountPaid', 'datePaid'].filter((k) => body[k] === undefined || body[k] === null);
    if (missing.length) {
      const errors = Object.fromEntries(missing.map((k) => [k[0]!.toUpperCase() + k.slice(1), [`The ${k[0]!.toUpperCase() + k.slice(1)} field is required.`]]));
      return { status: 400, body: { type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1', title: 'One or more validation errors occurred.', status: 400, errors } };
    }
    if (typeof body.amountPaid !== 'number' || typeof body.datePaid !== 'string' || Number.isNaN(Date.parse(body.datePaid))) {
      return text(500, 'An error occurred while processing your request.');
    }
    if (String(body.invoiceId).toLowerCase() !== inv.invoiceId) return text(400, 'InvoiceId in body does not match the URL');
    if (!inv.booked) return text(400, 'Invoice not found');
    if (String(body.paymentReference) !== inv.paymentReference) return text(400, 'Invoice – OGM mismatch');
    const date = body.datePaid.slice(0, 10);
    const deelboek = data.deelboeken.get(inv.deelboek)!;
    if (!deelboek.periods.some((p) => p.from <= date && date <= p.to)) return text(400, `Period not found for ${date} in deelboek ${deelboek.id}`);
    const journal = body.isBadDebt === true ? 'Extern_Dubieus' : 'Extern';
    const journals = deelboek.journals.filter((j) => j === journal).length;
    if (journals === 0) return text(400, `Journal Extern / Extern_Dubieus not found in deelboek ${deelboek.id}`);
    if (journals > 1) return text(400, 'Section Id not found');
    // Registering twice really registers twice: nothing here remembers earlier requests.
    inv.paid = new Big(inv.paid).plus(String(body.amountPaid)).toFixed(2);
    inv.changed = new Date(opts.now()).toISOString();
    return {
      status: 200,
      body: writeJson({
        totalAmount: `\u0000D${inv.total}`,
        totalPaid: `\u0000D${inv.paid}`,
        openAmount: `\u0000D${openAmount(inv)}`,
        invoiceId: inv.invoiceId,
        paymentReference: inv.paymentReference,
      }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    };
  }));

  server.route('GET /api/download/:accessGroup/:invoiceId/pdf', onInvoice((inv) => {
    if (!inv.booked) return text(404, 'Invoice not found');
    if (inv.pdf.state === 'pending' && inv.pdf.readyAt <= opts.now()) inv.pdf.state = 'ready';
    if (inv.pdf.state !== 'ready') return text(400, 'PDF is not available');
    return { status: 200, headers: { 'content-type': 'application/octet-stream', 'content-length': String(inv.pdf.sizeBytes) }, body: pdfStream(inv) };
  }));

  server.route('POST /api/create/:accessGroup/:invoiceId/pdf', onInvoice((inv) => {
    if (!inv.booked) return text(404, 'Invoice not found');
    if (inv.pdf.state !== 'ready') {
      // Without title and name on the invoice address the back end cannot render the PDF: it never appears.
      const renderable = Boolean(inv.invoiceAddress?.title && inv.invoiceAddress?.name);
      inv.pdf = { ...inv.pdf, state: 'pending', readyAt: renderable ? opts.now() + opts.pdfDelayMs : Number.POSITIVE_INFINITY };
    }
    return { status: 202, body: '' };
  }));

  return server;
}
