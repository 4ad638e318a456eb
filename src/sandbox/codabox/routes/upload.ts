import { createUploadHandler } from '../uploadRules.js';
import { detail, type CodaboxState } from '../state.js';

/** Sales invoices for the client's accountant (invoicing-software users only). */
export function registerUploadRoutes(state: CodaboxState): void {
  const { server, user } = state;
  const upload = createUploadHandler();
  server.route('POST /ubl/sales-invoice/upload/', (req) => {
    const u = user(req);
    if (u.kind !== 'invoicing') return detail(403, 'This user does not have the permission to upload sale invoices');
    return upload(req, u.vat ?? 'BE0840559537');
  });

}
