// A user-facing failure raised inside the pure domain (which may not import src/errors.ts): it
// carries a code of the CLI's error registry, and the composition root reports it like any other.
export type DomainErrorCode = 'E_CALENDAR_RANGE';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  constructor(code: DomainErrorCode, message: string) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
  }
}
