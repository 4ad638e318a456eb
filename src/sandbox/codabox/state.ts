import type { SandboxRequest, SandboxResponse, SandboxServer } from '../server.js';
import type { ClientRecord, FiduciaryRecord } from './parties.js';
import type { seedCodabox } from './seed.js';

/** A CodaBox user: an accountant (fiduciary), or a client's user (through invoicing or get-document software). */
export interface User {
  username: string;
  password: string;
  active: boolean;
  kind: 'fiduciary' | 'invoicing' | 'client';
  /** For a client's user: the client's VAT number. */
  vat?: string;
  /** Feed clients this user's pod-client delivers; formats it may download. */
  feedClients: number[];
  allowedFormats: Record<string, string[]>;
}

/** What the routes share: the server, the seeded data, the users and the onboarding state. */
export interface CodaboxState {
  server: SandboxServer;
  data: ReturnType<typeof seedCodabox>;
  clients: ClientRecord[];
  fiduciaries: FiduciaryRecord[];
  users: User[];
  /** The authenticated user of a request (the guard has refused the others). */
  user(req: SandboxRequest): User;
  /** One-time credential tokens by token, for users that exist. */
  tokens: Map<string, string>;
  /** The last token mailed to each VAT. */
  mailbox: Map<string, string>;
  mailedCount: Map<string, number>;
  /** Tokens mailed by request-access-token, claimed into new users. */
  pendingClaims: Map<string, { vat: string; kind: 'invoicing' | 'client'; feedClient: number }>;
  onMail?: (mail: { vat: string; email: string | null; token: string }) => void;
}

/** The sandbox's outbox of mailed tokens (`GET <CodaBox sandbox URL>/sandbox/outbox/`); not a CodaBox route. */
export const OUTBOX_ROUTE = 'GET /sandbox/outbox/';

export const detail = (status: number, message: string): SandboxResponse => ({ status, body: { detail: message } });
export const CONTENT_TYPES: Record<string, string> = { cod: 'text/plain; charset=iso-8859-1', pdf: 'application/pdf', xml: 'application/xml' };
