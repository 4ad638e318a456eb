import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { filterInputSdl, matches, operationInputSdl, type FieldKind } from './filters.js';
import { openAmount } from './seed.js';
import type { InformatData, InvoiceGroupRecord, InvoiceRecord } from './model.js';

/** Marks a decimal so the response writer can print it as a JSON number with its scale (65.10). */
export const DECIMAL_MARK = '\u0000D';

const INVOICE_KINDS: Record<string, FieldKind> = {
  invoiceId: 'uuid', invoiceType: 'enum', printDate: 'date', dueDate: 'date', total: 'decimal', paid: 'decimal', open: 'decimal',
  paymentReference: 'string', paymentReferenceInvoice: 'string', eolEntryNumber: 'string', created: 'datetime', changed: 'datetime',
};
const GROUP_KINDS: Record<string, FieldKind> = {
  id: 'int', name: 'string', fromDate: 'date', toDate: 'date', invoiceGroupType: 'enum', schoolYear: 'string',
};

function literalValue(node: ValueNode): unknown {
  if (node.kind === Kind.INT || node.kind === Kind.FLOAT || node.kind === Kind.STRING) return node.value;
  throw new GraphQLError(`Expected a decimal literal, got ${node.kind}`);
}

const Decimal = new GraphQLScalarType({
  name: 'Decimal',
  serialize: (v) => `${DECIMAL_MARK}${String(v)}`,
  parseValue: (v) => {
    if (typeof v !== 'number' && typeof v !== 'string') throw new GraphQLError('Decimal must be a number');
    return String(v);
  },
  parseLiteral: (node) => literalValue(node),
});

const passthrough = (name: string, check: (s: string) => boolean) =>
  new GraphQLScalarType({
    name,
    serialize: (v) => v,
    parseValue: (v) => {
      if (typeof v !== 'string' || !check(v)) throw new GraphQLError(`${name} cannot parse the given value ${JSON.stringify(v)}`);
      return v;
    },
    parseLiteral: (node) => {
      if (node.kind !== Kind.STRING || !check(node.value)) throw new GraphQLError(`${name} cannot parse the given literal`);
      return node.value;
    },
  });

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
// Like HotChocolate's DateTime, a date without time ("2023-06-01") is accepted in filters.
const isDateTime = (s: string) => !Number.isNaN(Date.parse(s));
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

const typeDefs = [
  /* GraphQL */ `
  scalar UUID
  scalar Decimal
  scalar DateTime
  scalar Date

  enum InvoiceGroupType { STUDENT STAFF INTERN REGISTRATION }
  enum InvoiceType { INVOICE CREDIT_NOTE }

  type Query {
    accessGroup(accessGroupIdentifier: String!): AccessGroup
  }

  type AccessGroup {
    guid: UUID!
    name: String!
    invoiceGroups(schoolYear: String!, where: InvoiceGroupFilterInput): [InvoiceGroup!]!
    invoice(invoiceId: UUID!): Invoice
  }

  type InvoiceGroup {
    id: Int!
    name: String!
    fromDate: Date
    toDate: Date
    invoiceGroupType: InvoiceGroupType!
    schoolYear: String!
    invoices(where: InvoiceFilterInput): [Invoice!]!
  }

  type Invoice {
    invoiceGroup: InvoiceGroup
    invoiceId: UUID!
    invoiceType: InvoiceType!
    printDate: Date
    dueDate: Date
    total: Decimal!
    paid: Decimal!
    open: Decimal!
    paymentReference: String
    paymentReferenceInvoice: String
    eolEntryNumber: String
    created: DateTime
    changed: DateTime
    createImageUrl: String
    imageUrl: String
    recipient: Recipient
    mandate: Mandate
    invoiceAddress: Address
    homeAddress: Address
    itemGroups: [ItemGroup!]!
  }

  type Recipient {
    id: UUID!
    databaseId: Int!
    firstName: String
    lastName: String
    birthDate: Date
    stamNumber: String
    location: String
    institute: String
    class: String
    classNumber: Int
    code: String
    rrNo: String
    bisNo: String
  }

  type Mandate {
    beginDate: Date
    creditorId: String
    ibanSchool: String
    mandateReference: String
    ibanParent: String
    bicParent: String
  }

  type Address {
    databaseId: Int!
    addressGuid: UUID
    title: String
    name: String
    street: String
    number: String
    busNumber: String
    zip: String
    city: String
    emailAddresses: String
    relations: [Relation!]!
  }

  type Relation {
    name: String
    title: String
    nationalNumber: String
    lpv: Int
  }

  type ItemGroup {
    code: String!
    description: String
    glAccountCode: String
    codeBudgetExtern: String
    total: Decimal!
    items: [ItemGroupItem!]!
  }

  type ItemGroupItem {
    description: String
    extraName: String
    quantity: Decimal!
    unitPrice: Decimal!
    discountPercentage: Decimal!
    discountAmount: Decimal!
    total: Decimal!
  }
  `,
  operationInputSdl('StringOperationFilterInput', 'String', 'string'),
  operationInputSdl('UuidOperationFilterInput', 'UUID', 'uuid'),
  operationInputSdl('IntOperationFilterInput', 'Int', 'int'),
  operationInputSdl('DecimalOperationFilterInput', 'Decimal', 'decimal'),
  operationInputSdl('DateOperationFilterInput', 'Date', 'date'),
  operationInputSdl('DateTimeOperationFilterInput', 'DateTime', 'datetime'),
  operationInputSdl('InvoiceTypeOperationFilterInput', 'InvoiceType', 'enum'),
  operationInputSdl('InvoiceGroupTypeOperationFilterInput', 'InvoiceGroupType', 'enum'),
  filterInputSdl('InvoiceFilterInput', {
    invoiceId: 'UuidOperationFilterInput', invoiceType: 'InvoiceTypeOperationFilterInput', printDate: 'DateOperationFilterInput',
    dueDate: 'DateOperationFilterInput', total: 'DecimalOperationFilterInput', paid: 'DecimalOperationFilterInput',
    open: 'DecimalOperationFilterInput', paymentReference: 'StringOperationFilterInput', paymentReferenceInvoice: 'StringOperationFilterInput',
    eolEntryNumber: 'StringOperationFilterInput', created: 'DateTimeOperationFilterInput', changed: 'DateTimeOperationFilterInput',
  }),
  filterInputSdl('InvoiceGroupFilterInput', {
    id: 'IntOperationFilterInput', name: 'StringOperationFilterInput', fromDate: 'DateOperationFilterInput', toDate: 'DateOperationFilterInput',
    invoiceGroupType: 'InvoiceGroupTypeOperationFilterInput', schoolYear: 'StringOperationFilterInput',
  }),
];

export interface SandboxGraphQLContext {
  /** Access group the bearer token was issued for. */
  tokenAccessGroup: string;
  apiUrl: string;
  now: () => number;
}

/** `2020-21` for STUDENT/STAFF/INTERN groups; `01/09/2020-31/08/2021` selects REGISTRATION groups. */
export function schoolYearMatches(group: InvoiceGroupRecord, schoolYear: string): boolean {
  return group.schoolYear === schoolYear;
}

function invoiceView(inv: InvoiceRecord, ctx: SandboxGraphQLContext) {
  if (inv.pdf.state === 'pending' && inv.pdf.readyAt <= ctx.now()) inv.pdf.state = 'ready';
  return {
    ...inv,
    open: openAmount(inv),
    createImageUrl: `${ctx.apiUrl}/api/create/${inv.accessGroup}/${inv.invoiceId}/pdf`,
    imageUrl: inv.pdf.state === 'ready' ? `https://informatsandbox.blob.core.windows.net/invoices/${inv.invoiceId}.pdf` : null,
  };
}

export function createInformatSchema(data: InformatData) {
  const byGroup = () => {
    const map = new Map<number, InvoiceRecord[]>();
    for (const inv of data.invoices.values()) {
      if (!inv.booked) continue;
      const list = map.get(inv.invoiceGroupId) ?? [];
      list.push(inv);
      map.set(inv.invoiceGroupId, list);
    }
    return map;
  };
  let index = byGroup();
  let indexedSize = data.invoices.size;

  return makeExecutableSchema<SandboxGraphQLContext>({
    typeDefs,
    resolvers: {
      UUID: passthrough('UUID', isUuid),
      DateTime: passthrough('DateTime', isDateTime),
      Date: passthrough('Date', isDate),
      Decimal,
      Query: {
        accessGroup: (_: unknown, args: { accessGroupIdentifier: string }, ctx: SandboxGraphQLContext) => {
          if (args.accessGroupIdentifier !== ctx.tokenAccessGroup) {
            throw new GraphQLError('The current user is not authorized to access this resource.', { extensions: { code: 'AUTH_NOT_AUTHORIZED' } });
          }
          return data.accessGroups.find((a) => a.identifier === args.accessGroupIdentifier) ?? null;
        },
      },
      AccessGroup: {
        invoiceGroups: (ag: { identifier: string }, args: { schoolYear: string; where?: Record<string, unknown> }) =>
          data.groups.filter((g) => g.accessGroup === ag.identifier && schoolYearMatches(g, args.schoolYear) && matches(args.where, g as never, GROUP_KINDS)),
        invoice: (ag: { identifier: string }, args: { invoiceId: string }, ctx: SandboxGraphQLContext) => {
          const inv = data.invoices.get(args.invoiceId.toLowerCase());
          return inv && inv.booked && inv.accessGroup === ag.identifier ? invoiceView(inv, ctx) : null;
        },
      },
      InvoiceGroup: {
        invoices: (g: InvoiceGroupRecord, args: { where?: Record<string, unknown> }, ctx: SandboxGraphQLContext) => {
          if (data.invoices.size !== indexedSize) {
            index = byGroup();
            indexedSize = data.invoices.size;
          }
          return (index.get(g.id) ?? []).map((inv) => invoiceView(inv, ctx)).filter((v) => matches(args.where, v as never, INVOICE_KINDS));
        },
      },
      Invoice: {
        invoiceGroup: (inv: InvoiceRecord) => data.groups.find((g) => g.id === inv.invoiceGroupId) ?? null,
      },
      Recipient: { class: (r: InvoiceRecord['recipient']) => r.class },
    },
  });
}

/** JSON writer that prints marked decimals as number literals with their scale, as .NET does. */
export function writeJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000D(-?[0-9]+(?:\.[0-9]+)?)"/g, '$1');
}
