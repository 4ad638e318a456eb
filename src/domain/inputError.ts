/**
 * Input a source or service found wrong before asking anyone: shown to the caller as
 * BAD_USER_INPUT naming the field, so code below the resolvers never builds GraphQL errors.
 */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(message: string, readonly field?: string[]) {
    super(message);
  }
}
