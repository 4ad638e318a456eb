import type { GatewayContext } from '../src/context.js';
import { normalizeEnterpriseNumber } from '../src/domain/identifiers.js';
import type { UserErrorModel } from '../src/domain/paymentInput.js';
import type { Resolvers } from '../src/generated/graphql.js';
import { SecretBox } from '../src/store/secrets.js';

const fail = (code: string, message: string, field: string[] | null = null): { userErrors: UserErrorModel[] } => ({ userErrors: [{ code, message, field }] });

/** Stable codes for CodaBox's documented request-access-token refusals (matched on the documented text). */
function accessErrorCode(status: number, message: string): string {
  if (status === 403) return 'SOFTWARE_NOT_ALLOWED';
  const rules: [RegExp, string][] = [
    [/does not exist/i, 'VAT_NOT_FOUND'],
    [/no Coda mandates/i, 'NO_CODA_MANDATES'],
    [/fiduciary needs activation/i, 'FIDUCIARY_NEEDS_ACTIVATION'],
    [/client needs activation/i, 'CLIENT_NEEDS_ACTIVATION'],
    [/email is missing/i, 'EMAIL_MISSING'],
    [/contact function is missing/i, 'CONTACT_FUNCTION_MISSING'],
    [/contact is missing/i, 'CONTACT_MISSING'],
  ];
  return rules.find(([re]) => re.test(message))?.[1] ?? 'UPSTREAM_REJECTED';
}

const mayUse = (ctx: GatewayContext, name: string) => ctx.caller.connections === '*' || ctx.caller.connections.has(name);

export const codaboxResolvers: Resolvers = {
  Mutation: {
    requestCodaboxAccess: async (_p, { input }, ctx) => {
      const codabox = ctx.upstreams.codabox;
      if (!codabox) return { emailHint: null, ...fail('NOT_CONFIGURED', 'No CodaBox software key is configured on this gateway.') };
      if (!ctx.caller.scopes.has('write')) return { emailHint: null, ...fail('FORBIDDEN', 'This caller may not change CodaBox access.') };
      const kbo = normalizeEnterpriseNumber(input.vat);
      if (!kbo) return { emailHint: null, ...fail('INVALID_VAT', `"${input.vat}" is not a Belgian VAT number.`, ['input', 'vat']) };
      const r = await codabox.onboarding.requestAccess(`BE${kbo}`, input.purpose);
      if (r.ok) return { emailHint: r.email, userErrors: [] };
      const userErrors = Object.entries(r.errors).flatMap(([key, messages]) =>
        messages.map((message) => ({ code: accessErrorCode(r.status, message), message: `CodaBox: ${message}`, field: key === 'vat' ? ['input', 'vat'] : null })),
      );
      return { emailHint: null, userErrors };
    },

    claimCodaboxCredentials: async (_p, { input }, ctx) => {
      const codabox = ctx.upstreams.codabox;
      const name = input.connection.trim();
      if (!codabox) return { connection: null, ...fail('NOT_CONFIGURED', 'No CodaBox software key is configured on this gateway.') };
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) return { connection: null, ...fail('INVALID_CONNECTION_NAME', 'A connection name is 1 to 64 letters, digits, `_`, `.` or `-`.', ['input', 'connection']) };
      if (!ctx.caller.scopes.has('write') || !mayUse(ctx, name)) return { connection: null, ...fail('FORBIDDEN', `This caller may not use connection "${name}".`, ['input', 'connection']) };
      if (ctx.config.codabox?.connection?.name === name) return { connection: null, ...fail('CONNECTION_EXISTS', `"${name}" is configured from the environment; choose another name.`, ['input', 'connection']) };
      if (!ctx.config.credentialsKey) return { connection: null, ...fail('CREDENTIALS_KEY_MISSING', 'Set CREDENTIALS_KEY on the gateway to store claimed credentials.') };
      if (!/^[A-Za-z0-9-]{8,128}$/.test(input.token)) return { connection: null, ...fail('INVALID_TOKEN', 'That is not a CodaBox token.', ['input', 'token']) };
      const creds = await codabox.onboarding.claim(input.token);
      if (!creds) return { connection: null, ...fail('TOKEN_INVALID', 'CodaBox does not know this token, or it was used already (a token works once).', ['input', 'token']) };
      // Stored first: the token is spent, so credentials lost now could not be claimed again.
      await ctx.store.credentials.put('CODABOX', name, new SecretBox(ctx.config.credentialsKey).seal(JSON.stringify(creds)), Date.now());
      codabox.connect(name, creds.username, creds.password);
      ctx.log.info({ connection: name }, 'CodaBox credentials claimed and stored');
      return { connection: { name, source: 'CODABOX', healthy: codabox.transport.breakerState() !== 'open', detail: 'CodaBox API v2; claimed credentials' }, userErrors: [] };
    },
  },
};
