import type { UserErrorCode } from '../../generated/graphql.js';
import { ClientError, GraphQLClient } from 'graphql-request';
import { decimalNumber, stringifyWithDecimals } from '../../domain/decimalJson.js';
import type { z } from 'zod';
import { decodeCursor, InvalidCursorError } from '../../domain/cursor.js';
import { mapNodes, pageByKey, type Page } from '../../domain/page.js';
import type { InvoiceGroupModel, InvoiceModel } from '../../domain/models.js';
import {
  TokenCache,
  UpstreamError,
  expectOk,
  fetchAdapter,
  fromStatus,
  malformed,
  readJson,
  readText,
  type AuthProvider,
  type Transport,
  type UpstreamResponse,
  parseWire as checkWire,
} from '../../http/index.js';
import { groupsQuery, groupWhere, invoicesQuery, invoiceSelection, invoiceWhere, PING_QUERY, type InformatInvoiceFilter, type Literal, type SelectionTree } from './query.js';
import { WireGroupsAnswer, WireInvoice, WireInvoicesAnswer, WirePaymentResult, WirePingAnswer, type WirePaymentResult as PaymentTotals } from './wire.js';
import { paymentRejectionCode, toInvoice, toInvoiceGroup } from './map.js';

export const SOURCE = 'INFORMAT';
const GRAPHQL_ROUTE = 'POST /graphql';

export interface InformatClientOptions {
  api: Transport;
  tokens: TokenCache;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  accessGroups: string[];
  scopePrefix: string;
}

export interface PaymentRequest {
  paymentReference: string;
  /** Exact decimal string; sent as a JSON number literal without passing through a float. */
  amount: string;
  date: string;
  badDebt: boolean;
}

export type PaymentOutcome =
  | { ok: true; totals: PaymentTotals }
  /** Informat answered that it registered nothing. */
  | { ok: false; status: number; code: UserErrorCode; message: string };

export interface InvoiceListQuery {
  accessGroup: string;
  schoolYear: string;
  groupNumber?: number | null;
  groupType?: string | null;
  filter: InformatInvoiceFilter;
  selection: SelectionTree;
}

/** Informat's bodies through the shared wire check. */
export const parseWire = <S extends z.ZodType>(schema: S, value: unknown, route: string, path = ''): z.infer<S> => checkWire(SOURCE, schema, value, route, path);

const INVOICE_LIST = 'informat-invoices';

/**
 * Informat client: the GraphQL API through graphql-request and the REST routes through the
 * transport; one token per access group (Informat issues one scope per token).
 */
export function createInformatClient(opts: InformatClientOptions) {
  const tokenUrl = new URL(opts.tokenUrl);
  const auth = new Map<string, AuthProvider>();
  const graphql = new Map<string, GraphQLClient>();
  for (const ag of opts.accessGroups) {
    const provider = opts.tokens.provider({
      tokenOrigin: tokenUrl.origin,
      tokenPath: tokenUrl.pathname,
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      scope: opts.scopePrefix + ag,
    });
    auth.set(ag, provider);
    graphql.set(
      ag,
      new GraphQLClient(`${opts.api.baseUrl.replace(/\/$/, '')}/graphql`, {
        fetch: fetchAdapter(opts.api.send, { route: GRAPHQL_ROUTE, auth: provider, source: SOURCE }),
      }),
    );
  }

  const authFor = (ag: string): AuthProvider => {
    const a = auth.get(ag);
    if (!a) throw new UpstreamError(`Informat access group ${ag} is not configured`, { code: 'FORBIDDEN', source: SOURCE });
    return a;
  };

  async function query(ag: string, document: string, variables: Record<string, unknown>): Promise<unknown> {
    const client = graphql.get(ag);
    if (!client) throw new UpstreamError(`Informat access group ${ag} is not configured`, { code: 'FORBIDDEN', source: SOURCE });
    try {
      return await client.request(document, variables);
    } catch (err) {
      if (err instanceof UpstreamError) throw err;
      if (err instanceof ClientError) {
        const status = err.response.status;
        if (status >= 200 && status < 300) {
          // Informat's own words go to the log only (formatError); callers get a safe summary.
          const first = err.response.errors?.[0]?.message ?? 'unknown error';
          throw new UpstreamError('Informat rejected the query', { code: 'UPSTREAM_REJECTED', source: SOURCE, route: GRAPHQL_ROUTE, status, detail: first.slice(0, 500) });
        }
        throw fromStatus(status, SOURCE, GRAPHQL_ROUTE);
      }
      throw malformed(SOURCE, GRAPHQL_ROUTE, 'body is not a GraphQL response', err);
    }
  }

  /** Pages, validates and maps invoices Informat returned unpaged under their groups. */
  function pageInvoices(ag: string, rows: { group: InvoiceGroupModel; raw: { invoiceId: string } }[], first: number, after: string | null, path: string): Page<InvoiceModel> {
    const cursor = after === null ? null : decodeCursor(after, INVOICE_LIST);
    if (after !== null && !cursor) throw new InvalidCursorError();
    const page = pageByKey(rows, (r) => [r.group.groupNumber, r.raw.invoiceId.toLowerCase()], INVOICE_LIST, first, cursor);
    return mapNodes(page, (row) => toInvoice(ag, parseWire(WireInvoice, row.raw, GRAPHQL_ROUTE, `${path}[${row.raw.invoiceId}]`), row.group));
  }

  async function fetchGroups(ag: string, schoolYear: string, where: Literal | null, invoices: { where: Literal | null; selection: string } | null) {
    const data = await query(ag, groupsQuery({ groupWhere: where, invoices }), { accessGroupIdentifier: ag, schoolYear });
    const answer = parseWire(WireGroupsAnswer, data, GRAPHQL_ROUTE);
    return (answer.accessGroup?.invoiceGroups ?? []).map((g) => ({ group: toInvoiceGroup(ag, g), invoices: g.invoices ?? [] }));
  }

  return {
    source: SOURCE,
    accessGroups: [...opts.accessGroups],

    /** Invoices of a school year (optionally one group), filtered upstream, paged here. One upstream request. */
    async listInvoices(q: InvoiceListQuery, first: number, after: string | null): Promise<Page<InvoiceModel>> {
      const groups = await fetchGroups(q.accessGroup, q.schoolYear, groupWhere({ groupNumber: q.groupNumber, type: q.groupType }), {
        where: invoiceWhere(q.filter),
        selection: invoiceSelection(q.selection),
      });
      const rows = groups.flatMap((g) => g.invoices.map((raw) => ({ group: g.group, raw })));
      return pageInvoices(q.accessGroup, rows, first, after, 'accessGroup.invoiceGroups.invoices');
    },

    /**
     * Groups of a school year. When `invoices` is given, each group's invoices come in the same
     * upstream request and are kept on the group for `InvoiceGroup.invoices` to page.
     */
    async invoiceGroups(
      ag: string,
      schoolYear: string,
      opts: { type?: string | null; groupNumber?: number | null; invoices?: { filter: InformatInvoiceFilter; selection: SelectionTree; filterKey: string } | null },
    ): Promise<InvoiceGroupModel[]> {
      const nested = opts.invoices ? { where: invoiceWhere(opts.invoices.filter), selection: invoiceSelection(opts.invoices.selection) } : null;
      const groups = await fetchGroups(ag, schoolYear, groupWhere({ groupNumber: opts.groupNumber, type: opts.type }), nested);
      return groups.map(({ group, invoices }) => (opts.invoices ? { ...group, prefetched: { filterKey: opts.invoices.filterKey, invoices } } : group));
    },

    /** Pages invoices a group already holds from `invoiceGroups(..., invoices)`. */
    pagePrefetched(group: InvoiceGroupModel, first: number, after: string | null): Page<InvoiceModel> {
      const rows = (group.prefetched?.invoices ?? []).map((raw) => ({ group, raw }));
      return pageInvoices(group.accessGroup, rows, first, after, `invoiceGroups[${group.groupNumber}].invoices`);
    },

    async invoice(ag: string, id: string, selection: SelectionTree): Promise<InvoiceModel | null> {
      return (await this.invoices(ag, [id], selection))[0] ?? null;
    },

    /**
     * Invoices by ID, in order, null where Informat has none. One upstream request however many IDs:
     * Informat has no list-by-IDs field, so the query asks `invoice` once per ID under aliases.
     */
    async invoices(ag: string, ids: readonly string[], selection: SelectionTree): Promise<(InvoiceModel | null)[]> {
      if (ids.length === 0) return [];
      const variables: Record<string, unknown> = { accessGroupIdentifier: ag };
      ids.forEach((id, i) => (variables[`i${i}`] = id));
      const data = await query(ag, invoicesQuery(invoiceSelection(selection, { withGroup: true }), ids.length), variables);
      const answer = parseWire(WireInvoicesAnswer, data, GRAPHQL_ROUTE);
      return ids.map((_, i) => {
        const wire = answer.accessGroup?.[`i${i}`];
        return wire ? toInvoice(ag, wire, null) : null;
      });
    },

    /**
     * Registers a payment. Sent once, never retried: Informat registers every request it gets.
     * A definite "no" is returned; anything that leaves the outcome unknown is thrown.
     */
    async registerPayment(ag: string, invoiceId: string, p: PaymentRequest): Promise<PaymentOutcome> {
      const route = 'POST /api/payments';
      // amountPaid is written as a number literal from the decimal string, never through a float.
      const body = stringifyWithDecimals({ invoiceId, paymentReference: p.paymentReference, amountPaid: decimalNumber(p.amount), datePaid: p.date, isBadDebt: p.badDebt });
      const res = await opts.api.send({
        method: 'POST',
        path: `/api/payments/${encodeURIComponent(ag)}/${encodeURIComponent(invoiceId)}`,
        route,
        idempotent: false,
        auth: authFor(ag),
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
      });
      if (res.status === 200) return { ok: true, totals: parseWire(WirePaymentResult, await readJson(res, SOURCE, route), route) };
      if (res.status === 400 || res.status === 403) {
        const text = (await readText(res, SOURCE, route)).trim();
        const message = text.startsWith('{') ? validationSummary(text) : text.replace(/^"|"$/g, '');
        return { ok: false, status: res.status, code: paymentRejectionCode(res.status, message), message: message || `HTTP ${res.status}` };
      }
      await expectOk(res, SOURCE, route);
      throw fromStatus(res.status, SOURCE, route);
    },

    /** Asks Informat to render the PDF (202). Returns a rejection code for the documented refusals. */
    async requestPdf(ag: string, invoiceId: string): Promise<{ ok: true } | { ok: false; code: UserErrorCode; message: string }> {
      const route = 'POST /api/create/pdf';
      const res = await opts.api.send({
        method: 'POST',
        path: `/api/create/${encodeURIComponent(ag)}/${encodeURIComponent(invoiceId)}/pdf`,
        route,
        // Asking twice for the same PDF has the effect of asking once.
        idempotent: true,
        auth: authFor(ag),
      });
      if (res.status === 202 || res.status === 200) {
        await res.body.dump();
        return { ok: true };
      }
      if (res.status === 403 || res.status === 404) {
        const message = (await readText(res, SOURCE, route)).trim();
        return { ok: false, code: res.status === 403 ? 'FORBIDDEN' : 'NOT_BOOKED', message: message || `HTTP ${res.status}` };
      }
      await expectOk(res, SOURCE, route);
      throw fromStatus(res.status, SOURCE, route);
    },

    /** Starts the PDF download; the caller streams `body`. 400 means no PDF (yet). */
    async downloadPdf(ag: string, invoiceId: string): Promise<UpstreamResponse> {
      return opts.api.send({
        method: 'GET',
        path: `/api/download/${encodeURIComponent(ag)}/${encodeURIComponent(invoiceId)}/pdf`,
        route: 'GET /api/download/pdf',
        idempotent: true,
        stream: true,
        auth: authFor(ag),
        headers: { accept: 'application/octet-stream' },
      });
    },

    /** Proves the identity server and the API answer for an access group (used by /readyz). */
    async ping(ag: string): Promise<void> {
      const data = await query(ag, PING_QUERY, { accessGroupIdentifier: ag });
      const answer = parseWire(WirePingAnswer, data, GRAPHQL_ROUTE);
      if (!answer.accessGroup) throw new UpstreamError(`Informat does not know access group ${ag}`, { code: 'NOT_FOUND', source: SOURCE });
    },
  };
}

/** ASP.NET validation problem details -> one sentence. */
function validationSummary(text: string): string {
  try {
    const body = JSON.parse(text) as { title?: string; errors?: Record<string, string[]> };
    const details = Object.values(body.errors ?? {}).flat();
    return [body.title, ...details].filter(Boolean).join(' ');
  } catch {
    return text;
  }
}

export type InformatClient = ReturnType<typeof createInformatClient>;
