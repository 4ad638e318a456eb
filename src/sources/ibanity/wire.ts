import { z } from 'zod';

/**
 * Ibanity's JSON:API bodies as the gateway reads them (shared/upstream-specs/ibanity.md). Only what
 * the gateway uses is required; everything else passes through. Status words are compared
 * case-insensitively: the documentation writes them lower-case, the wire UPPERCASE.
 */

const IdValue = z.object({ id: z.string().optional(), value: z.string() });

export const WireSupplierAttributes = z.object({
  city: z.string().nullish(),
  contactEmail: z.string().nullish(),
  country: z.string().nullish(),
  createdAt: z.string().nullish(),
  email: z.string().nullish(),
  enterpriseIdentification: z.object({ enterpriseNumber: z.string().nullish(), vatNumber: z.string().nullish() }).passthrough(),
  homepage: z.string().nullish(),
  ibans: z.array(IdValue).default([]),
  names: z.array(IdValue).default([]),
  onboardingStatus: z.string().transform((s) => s.toUpperCase()),
  peppolReceiver: z.boolean().default(false),
  phoneNumber: z.string().nullish(),
  street: z.string().nullish(),
  streetNumber: z.string().nullish(),
  zip: z.string().nullish(),
});

export const WireSupplier = z.object({ id: z.string(), type: z.literal('supplier'), attributes: WireSupplierAttributes });
export type WireSupplier = z.infer<typeof WireSupplier>;

export const WirePaging = z.object({ number: z.number().int(), size: z.number().int(), total: z.number().int().optional() }).passthrough();

export const listOf = <S extends z.ZodType>(item: S) => z.object({ data: z.array(item), meta: z.object({ paging: WirePaging }).partial().optional() });
export const oneOf = <S extends z.ZodType>(item: S) => z.object({ data: item });

export const WireRegistration = z.object({
  id: z.string(),
  attributes: z.object({
    type: z.string(),
    value: z.string(),
    status: z.string(),
    reason: z.string().nullish(),
    accessPoints: z.array(z.string()).nullish(),
    createdAt: z.string().nullish(),
    modifiedAt: z.string().nullish(),
  }),
});
export type WireRegistration = z.infer<typeof WireRegistration>;

export const WireFormat = z.object({
  rootNamespace: z.string().nullish(),
  localName: z.string(),
  customizationId: z.string(),
  profileId: z.string().nullish(),
  ublVersionId: z.string().nullish(),
});

export const WireCustomerSearch = z.object({ id: z.string(), attributes: z.object({ customerReference: z.string(), supportedDocumentFormats: z.array(WireFormat) }) });

const SupplierRef = z.object({ data: z.object({ id: z.string(), type: z.string() }) });

export const WireOutbound = z.object({
  id: z.string(),
  type: z.string(),
  attributes: z.object({
    createdAt: z.string(),
    status: z.string().nullish(),
    technicalStatus: z.string().nullish(),
    statusChangedAt: z.string().nullish(),
    transmissionId: z.string().nullish(),
    businessStatus: z.string().nullish(),
    // Untyped in the SDK: objects with a code and a message or detail, as far as anyone has seen.
    errors: z.array(z.object({ code: z.string().nullish(), detail: z.string().nullish(), message: z.string().nullish() }).passthrough()).nullish(),
  }),
  relationships: z.object({ supplier: SupplierRef }).partial().optional(),
});
export type WireOutbound = z.infer<typeof WireOutbound>;

export const WireInbound = z.object({
  id: z.string(),
  type: z.string(),
  attributes: z.object({ createdAt: z.string(), transmissionId: z.string().nullish() }),
  relationships: z.object({ supplier: SupplierRef }).partial().optional(),
});
export type WireInbound = z.infer<typeof WireInbound>;

export const WireBusinessStatus = z.object({ id: z.string(), attributes: z.object({ code: z.string(), createdAt: z.string().nullish(), technicalStatus: z.string().nullish() }) });

export const WireErrors = z.object({
  errors: z.array(z.object({ code: z.string().nullish(), detail: z.string().nullish(), source: z.object({ pointer: z.string().nullish() }).nullish() }).passthrough()),
});
export type WireError = z.infer<typeof WireErrors>['errors'][number];

/** A webhook event. */
export const WireEvent = z.object({
  data: z.object({
    id: z.string(),
    type: z.string(),
    attributes: z.object({ createdAt: z.string().nullish() }).passthrough().optional(),
    relationships: z.record(z.string(), z.object({ data: z.object({ id: z.string(), type: z.string() }) })).optional(),
  }),
});
export type WireEvent = z.infer<typeof WireEvent>;

export const WireJwks = z.object({ keys: z.array(z.object({ kid: z.string(), kty: z.string(), use: z.string().nullish(), status: z.string().nullish(), alg: z.string().nullish() }).passthrough()) });
