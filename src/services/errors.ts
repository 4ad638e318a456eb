import type { AccessDenied } from '../auth/access.js';

/** The access door said no; the server shows it as FORBIDDEN, NOT_CONFIGURED or BAD_USER_INPUT. */
export class AccessError extends Error {
  override readonly name = 'AccessError';
  readonly code: AccessDenied['code'];
  /** The argument that named (or should name) the connection, for BAD_USER_INPUT. */
  readonly field: string[] | undefined;
  constructor(denied: AccessDenied, field?: string[]) {
    super(denied.message);
    this.code = denied.code;
    this.field = field;
  }
}
