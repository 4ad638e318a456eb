import type { AccessDenied } from '../auth/access.js';

/** The access door said no; the server shows it as FORBIDDEN, NOT_CONFIGURED or BAD_USER_INPUT. */
export class AccessError extends Error {
  override readonly name = 'AccessError';
  readonly code: AccessDenied['code'];
  constructor(denied: AccessDenied) {
    super(denied.message);
    this.code = denied.code;
  }
}
