import type { Logger } from 'pino';
import type { z } from 'zod';
import type { SourceName } from '../domain/globalId.js';
import type { InvoiceInputModel } from '../domain/sendInput.js';
import type { BankStatementModel, DocumentTypeName, DownloadRef, FeedEntryModel, FeedKindName, FeedModel, InvoiceGroupModel, InvoiceModel, MessageModel, PartyModel, PaymentModel, AddressModel } from '../domain/models.js';
import type { BuyerResponseModel, PeppolRegistrationModel, PeppolSupplierModel, SourceCapability } from '../domain/models.js';
import type { SelectionTree } from '../domain/selection.js';
import type { Page } from '../domain/page.js';
import type { UserErrorModel } from '../domain/paymentInput.js';
import type { InvoiceFilter, InvoiceResponseStatus, MessageFilter, MessageOutcome as MarkOutcome, MessageEvent, ValidationIssue } from '../generated/graphql.js';

type MessageEventModel = MessageEvent;
type ValidationIssueModel = ValidationIssue;
import type { BreakerState, TokenCache, Transport, TransportOptions, UpstreamResponse } from '../http/index.js';
import type { Store } from '../store/types.js';

/**
 * The seam every upstream plugs into. A source is one folder under `src/sources/` whose `index.ts`
 * exports one `Source`: its name, its configuration section, and `connect()`, which opens its
 * connections. The composition root, `/readyz`, `connections`, the access door, signed downloads
 * and the sandbox start-up loop over the registry (`registry.ts`) and never name a source.
 */

/** One configured upstream account: an Informat access group, a MAPI user, a CodaBox user. */
export interface Connection<C> {
  readonly name: string;
  /** The source's own client, for the source's own code (loaders, capabilities). */
  readonly client: C;
  /** What the connection offers in the unified model. */
  readonly capabilities: Capabilities;
  /** The cheapest real request that proves the account works (for /readyz). */
  ping(): Promise<void>;
}

/** What a source's `connect()` returns: its connections and how its upstream is doing. */
export interface SourceRuntime<C = unknown> {
  readonly source: SourceName;
  /** How the connection is described in `connections { detail }`, e.g. "Unimaze MAPI". */
  readonly label: string;
  /** In configuration order; a source may add connections at run time (CodaBox claims). */
  connections(): readonly Connection<C>[];
  connection(name: string): Connection<C> | undefined;
  /** The circuit breaker of the source's API, for health. */
  breakerState(): BreakerState;
  /** Starts the download of a file the source handed out a signed link for; null when it cannot. */
  openFile(ref: DownloadRef): (() => Promise<UpstreamResponse>) | null;
  /** Offered by sources whose accounts are claimed at run time. */
  readonly onboarding?: OnboardingCapability;
  /** Offered by sources that push events to the gateway (`POST /webhooks/<source>`). */
  readonly webhooks?: WebhooksCapability;
  /** Stops what the runtime runs in the background (timers); called when the gateway closes. */
  close?(): void;
}

/** Events an upstream pushes: verified against the raw body before anything is believed. */
export interface WebhooksCapability {
  /** Checks the delivery's signature; the event's id and type when it holds. */
  verify(headers: Record<string, string | string[] | undefined>, rawBody: Buffer): Promise<{ ok: true; id: string; type: string; event: unknown } | { ok: false; reason: string }>;
  /** Acts on a verified event (drops what it makes stale); safe to run twice for one event. */
  handle(event: unknown): Promise<void>;
}

/** What the composition root lends a source to open its connections. */
export interface ConnectDeps {
  /** A transport to `baseUrl` with the gateway's timeouts, retries, breaker, limits and metrics. */
  transport(baseUrl: string, opts?: { label?: string; tls?: TransportOptions['tls'] }): Transport;
  /** A token cache for OAuth2 client-credentials tokens, labelled with the source. */
  tokens(identity: Transport): TokenCache;
  store: Store;
  log: Logger;
  /** Seals and opens credentials a source stores (claimed at run time); null when not configured. */
  credentialsKey: string | null;
  /** The shared capability answers, for a source that learns (by webhook) that a party's changed. */
  capabilities: { forget(iso6523: string): void };
}

/** A configuration section: the environment options a source reads, and what they make. */
export interface SourceConfig<Cfg> {
  /** Environment options, validated with the others at start; every one is in the README table. */
  readonly options: z.ZodRawShape;
  /** The source's settings from the validated options; null when it is not configured. Throws ConfigError on bad combinations. */
  configure(env: Record<string, unknown>): Cfg | null;
}

/** The embedded default's settings (SANDBOX_* options), shared by every simulator. */
export interface SandboxSettings {
  seed: number;
  latencyMs: number;
  invoicesPerGroup: number;
  pdfDelayMs: number;
  tokenTtlSeconds: number;
  mapiParties: number;
  ibanityStepMs: number;
  /** Where a simulator keeps what must survive a restart (Ibanity's CA); empty: nothing is kept. */
  dataDir: string;
}

/** A simulator of the source on loopback, and the settings that point the source at it. */
export interface EmbeddedSandbox<Cfg> {
  /** `options` are the simulator's own start options (tests tune data sizes and delays with them). */
  start(settings: SandboxSettings, log: Logger, options?: Record<string, unknown>): Promise<StartedSandbox<Cfg>>;
  /** The environment an operator would write to point a gateway at a running simulator (its main account). */
  env(handle: unknown): Record<string, string>;
}

export interface StartedSandbox<Cfg> {
  /** The settings of the embedded default (every account the simulator offers). */
  config: Cfg;
  /** The simulator itself, for tests: its call log and fault injection. */
  handle: unknown;
  urls: Record<string, string>;
  /** Told the gateway's URL once it listens (a simulator that sends webhooks sends them there). */
  attach?(gatewayUrl: string): void;
  close(): Promise<void>;
}

export interface Source<Cfg, C, R extends SourceRuntime<C> = SourceRuntime<C>> {
  readonly name: SourceName;
  readonly config: SourceConfig<Cfg>;
  connect(cfg: Cfg, deps: ConnectDeps): Promise<R>;
  /** Loads the source's simulator, only when the sandbox is turned on (never a static import). */
  sandbox?: () => Promise<EmbeddedSandbox<Cfg>>;
}

/**
 * What a connection can do, in the unified model. Services ask a connection for a capability
 * through the access door and never see a source's wire, paths or words. A source offers the
 * capabilities it has; a fifth upstream implements the same interfaces.
 */
export interface Capabilities {
  messages?: MessagesCapability;
  feeds?: FeedsCapability;
  uploads?: UploadsCapability;
  sending?: SendingCapability;
  invoices?: InvoicesCapability;
  payments?: PaymentsCapability;
  parties?: PartiesCapability;
  reachability?: ReachabilityCapability;
  records?: RecordsCapability;
  suppliers?: SuppliersCapability;
}

export type CapabilityName = keyof Capabilities;

/** Business documents exchanged over a network (MAPI messages; Ibanity documents later). */
export interface MessagesCapability {
  /** A page of messages, newest first; `after` is a cursor this capability made. Throws InvalidCursorError/InvalidInputError. */
  list(filter: MessageFilter | null | undefined, first: number, after: string | null): Promise<Page<MessageModel>>;
  /** One message by its local ID; null when the upstream has none. */
  get(local: string): Promise<MessageModel | null>;
  events(m: MessageModel): Promise<MessageEventModel[]>;
  validation(m: MessageModel): Promise<ValidationIssueModel[]>;
  /** The invoice or credit note the message carries, when the upstream can tell. */
  invoice(m: MessageModel): Promise<InvoiceModel | null>;
  /** The buyer's answer, for messages whose record does not carry it; absent: the record says all. */
  buyerResponse?(m: MessageModel): Promise<BuyerResponseModel | null>;
  /** Reports what the receiver did with an inbound message; a repeat of a final outcome succeeds. */
  mark(local: string, outcome: MarkOutcome, reason: string | null): Promise<{ ok: true; message: MessageModel | null } | { ok: false; error: UserErrorModel }>;
}

/** Streams of delivered documents (CodaBox feeds). */
export interface FeedsCapability {
  feeds(): Promise<FeedModel[]>;
  /** One feed by its local ID; null when the connection has none. */
  feed(local: string): Promise<FeedModel | null>;
  /** A page of a feed's entries, oldest first. Throws InvalidCursorError for a cursor of another list. */
  entries(feed: FeedModel, kind: FeedKindName, first: number, after: string | null): Promise<Page<FeedEntryModel>>;
  /** One entry by its local ID; null when it is not (or no longer) in its feed. */
  entry(local: string): Promise<FeedEntryModel | null>;
  /** The movements of a bank statement the connection may download. */
  statementPayments(statement: BankStatementModel): Promise<PaymentModel[]>;
  /**
   * Acknowledges a feed up to an entry (its local ID or the upstream's own offset). `key` names the
   * acknowledgement for the ledger that makes a repeat succeed. Reads of that feed in the same
   * operation are fresh afterwards.
   */
  acknowledge(feedLocal: string, kind: FeedKindName, upTo: string): Promise<{ ok: true; key: string } | { ok: false; error: UserErrorModel }>;
}

/** Bringing a client's account onto the gateway (CodaBox: a token mailed to the client, claimed once). */
export interface OnboardingCapability {
  /** Asks the upstream to send the client (by Belgian enterprise number) a token for `purpose`. */
  requestAccess(kbo: string, purpose: 'GET_DOCUMENTS' | 'SALES_INVOICES'): Promise<{ ok: true; emailHint: string | null } | { ok: false; errors: UserErrorModel[] }>;
  /** Whether a connection of this name may be claimed (not one configured from the environment). */
  claimable(name: string): { ok: true } | { ok: false; error: UserErrorModel };
  /** Turns a token into a connection named `name`; its credentials are stored sealed before it answers. */
  claim(token: string, name: string): Promise<{ ok: true } | { ok: false; error: UserErrorModel }>;
}

/** Handing documents to the upstream (CodaBox: a sales invoice for the client's accountant). */
export interface UploadsCapability {
  uploadSalesInvoice(xml: string, folder: string | null): Promise<{ ok: true; invoice: InvoiceModel } | { ok: false; errors: UserErrorModel[] }>;
}

export type SendResult = { ok: true; local: string } | { ok: false; error: UserErrorModel };

/** Sending documents over a network (MAPI, Ibanity). */
export interface SendingCapability {
  /**
   * Whether the channel itself refuses a second document for one idempotency token (MAPI's message
   * id). When not (Ibanity), the gateway's ledger marks the send before it goes out, and a lost
   * answer is reported as unknown rather than sent again.
   */
  readonly honoursToken: boolean;
  /** What the channel needs beyond the unified input, checked before anything is sent (MAPI: a fallback e-mail; Ibanity: the seller is this supplier). */
  precheckInvoice(invoice: InvoiceInputModel): Promise<UserErrorModel | null>;
  /** What the channel would refuse in a ready-made document, checked before it is sent. */
  precheckDocument(xml: string): Promise<UserErrorModel | null>;
  sendInvoice(invoice: InvoiceInputModel, token: string): Promise<SendResult>;
  sendDocument(xml: string, documentType: DocumentTypeName, token: string): Promise<SendResult>;
  /** The response action codes the channel knows. */
  readonly responseActions: readonly string[];
  respond(original: MessageModel, response: { status: InvoiceResponseStatus; reason: string | null; note: string | null; action: string | null }, token: string): Promise<SendResult>;
}

/** Invoices and their groups (Informat school invoices today). */
export interface InvoicesCapability {
  /** A page of invoices matching the unified filter; only the selected fields are asked upstream. Throws InvalidInputError/InvalidCursorError. */
  list(filter: InvoiceFilter, selection: SelectionTree, first: number, after: string | null): Promise<Page<InvoiceModel>>;
  /** One invoice by its local ID (batched with the operation's other asks); null when there is none. */
  get(local: string, selection: SelectionTree): Promise<InvoiceModel | null>;
  /** Invoice groups of a school year; `invoices` asks each group's invoices in the same upstream request. */
  groups(schoolYear: string, type: string | null, invoices: { filter: InvoiceFilter | null | undefined; selection: SelectionTree } | null): Promise<InvoiceGroupModel[]>;
  group(local: string): Promise<InvoiceGroupModel | null>;
  /** A page of one group's invoices (from what `groups` fetched when the filter is the same). */
  groupInvoices(group: InvoiceGroupModel, filter: InvoiceFilter | null | undefined, selection: SelectionTree, first: number, after: string | null): Promise<Page<InvoiceModel>>;
  /** Asks the upstream to render an invoice's PDF. */
  requestPdf(local: string): Promise<{ ok: true } | { ok: false; error: UserErrorModel }>;
}

/** Registering a payment on an invoice. Not repeatable upstream: the service runs it exactly once. */
export interface PaymentsCapability {
  /** The invoice as it is now, with the reference a payment must quote; or why none can be registered. */
  prepare(local: string): Promise<{ ok: true; invoice: InvoiceModel; reference: string } | { ok: false; error: UserErrorModel }>;
  /** Registers it; a definite refusal is returned, anything that leaves the outcome unknown is thrown. */
  register(local: string, payment: { reference: string; amount: string; date: string; badDebt: boolean }): Promise<{ ok: true; totals: { total: string; paid: string; open: string } } | { ok: false; error: UserErrorModel }>;
}

/** What a source knows of a party: the fields it can fill, each null when it cannot. */
export interface PartyFacts {
  name: string | null;
  email: string | null;
  address: AddressModel | null;
  bankAccounts: PartyModel['bankAccounts'];
}

export type PartyOrder = 'name' | 'company';

/** Companies a source knows (MAPI parties, CodaBox clients and fiduciaries). */
export interface PartiesCapability {
  /** What the source knows of this party; null when it does not know it. Asked once per operation and party. */
  facts(party: PartyModel): Promise<PartyFacts | null>;
  /** A party by the local part of an ID this source issued; null when it has none. */
  get?(local: string): Promise<PartyModel | null>;
  /**
   * Searches the source's parties (by name, code or number), with stable cursors; by name, or with
   * `order: 'company'` by enterprise number then name (parties without one first), so that a search
   * across sources meets one company's records side by side.
   */
  search?(query: string | null, first: number, after: string | null, order?: PartyOrder): Promise<Page<PartyModel>>;
}

/** Whether parties can receive a document type on the network, asked in batches. */
export interface ReachabilityCapability {
  readonly batchLimit: number;
  /** Calls in flight at once for one request (a source asked one identifier at a time caps this). */
  readonly concurrency?: number;
  lookup(scheme: string, values: readonly string[], documentType: DocumentTypeName): Promise<Map<string, SourceCapability>>;
}

/** What onboarding a supplier takes (Ibanity's supplier attributes in the unified words). */
export interface SupplierInputModel {
  enterpriseNumber: string;
  names: string[];
  ibans: string[];
  email: string;
  contactEmail: string;
  phoneNumber: string;
  street: string;
  streetNumber: string;
  postalCode: string;
  city: string;
  country: string;
  homepage: string;
  peppolReceiver: boolean;
}

export type SupplierResult = { ok: true; supplier: PeppolSupplierModel } | { ok: false; errors: UserErrorModel[] };

/** Companies an access point sends and receives for (Ibanity suppliers): onboarding, changes, offboarding. */
export interface SuppliersCapability {
  list(first: number, after: string | null): Promise<Page<PeppolSupplierModel>>;
  get(local: string): Promise<PeppolSupplierModel | null>;
  /** The supplier that is this party, when the access point has one. */
  ofParty(party: PartyModel): Promise<PeppolSupplierModel | null>;
  registrations(supplier: PeppolSupplierModel): Promise<PeppolRegistrationModel[]>;
  create(input: SupplierInputModel): Promise<SupplierResult>;
  /** Only the given fields change; `names` and `ibans` are the whole new lists. */
  update(local: string, changes: Partial<Omit<SupplierInputModel, 'enterpriseNumber'>>): Promise<SupplierResult>;
  offboard(local: string): Promise<SupplierResult>;
}

/** Reading back, by ID, records a source hands out inside other objects (a feed's invoices, a statement's movements). */
export interface RecordsCapability {
  invoice?(local: string): Promise<InvoiceModel | null>;
  payment?(local: string): Promise<PaymentModel | null>;
}
