// Informat Invoice API: client (graphql-request + transport), wire schemas, mapping, query building.
export { createInformatClient, parseWire, SOURCE, type InformatClient, type PaymentOutcome, type PaymentRequest } from './client.js';
export { FULL_INVOICE_SELECTION, type SelectionTree, type InformatInvoiceFilter } from './query.js';
export { invoiceId, invoiceGroupId, paymentRejectionCode } from './map.js';
