/** One entry of a problem's `errors` list: where, what, plus optional machine-readable facts. */
export interface ProblemDetailItem {
  path: string;
  message: string;
  [extra: string]: unknown;
}

/** Errors a use case may raise; the http layer turns each into an RFC 9457 problem. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly code: string,
    detail: string,
    readonly errors?: ProblemDetailItem[],
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(code: string, detail: string, errors?: ProblemDetailItem[]) {
    super(400, 'Bad Request', code, detail, errors);
  }
}

export class UnauthorizedError extends AppError {
  constructor(code: string, detail: string) {
    super(401, 'Unauthorized', code, detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(code: string, detail: string) {
    super(403, 'Forbidden', code, detail);
  }
}

export class NotFoundError extends AppError {
  constructor(code: string, detail: string) {
    super(404, 'Not Found', code, detail);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, detail: string, errors?: ProblemDetailItem[]) {
    super(409, 'Conflict', code, detail, errors);
  }
}

export class UnprocessableError extends AppError {
  constructor(code: string, detail: string, errors?: ProblemDetailItem[]) {
    super(422, 'Unprocessable Content', code, detail, errors);
  }
}

/** Thrown by a repository when a unique field (email, sku) is taken; use cases turn it into a ConflictError. */
export class DuplicateKeyError extends Error {
  constructor(readonly field: string) {
    super(`duplicate ${field}`);
  }
}
