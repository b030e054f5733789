/**
 * The one error hierarchy shared by every service. Each error carries a stable `code` (for
 * machines), an HTTP status (used by the API's error handler) and a message a user can act on.
 * `expose` says whether the message may be shown to an API client: 5xx details never are.
 */
export class AppError extends Error {
  readonly code: string = 'internal_error';
  readonly statusCode: number = 500;
  readonly expose: boolean = false;
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options?.details;
  }
}

/** Bad or missing configuration: the process cannot start. */
export class ConfigError extends AppError {
  override readonly code = 'config_invalid';
  /** Each problem names the variable it is about. */
  readonly problems: readonly { variable: string; message: string }[];
  constructor(problems: readonly { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.problems = problems;
  }
}

/** Input that fails validation (HTTP 400, CLI usage errors, malformed files). */
export class ValidationError extends AppError {
  override readonly code: string = 'validation_failed';
  override readonly statusCode: number = 400;
  override readonly expose = true;
}

/** A file or feed that cannot be parsed; `location` names the line or element. */
export class ParseError extends ValidationError {
  override readonly code = 'parse_failed';
  readonly location: string;
  constructor(message: string, location: string, options?: { cause?: unknown }) {
    super(`${location}: ${message}`, options);
    this.location = location;
  }
}

export class NotFoundError extends AppError {
  override readonly code = 'not_found';
  override readonly statusCode = 404;
  override readonly expose = true;
}

export class ConflictError extends AppError {
  override readonly code = 'conflict';
  override readonly statusCode = 409;
  override readonly expose = true;
}

export class UnauthorizedError extends AppError {
  override readonly code = 'unauthorized';
  override readonly statusCode = 401;
  override readonly expose = true;
}

export class ForbiddenError extends AppError {
  override readonly code = 'forbidden';
  override readonly statusCode = 403;
  override readonly expose = true;
}

/** A dependency (PostgreSQL, Redis) is unreachable or failing: retryable. */
export class DependencyError extends AppError {
  override readonly code = 'dependency_unavailable';
  override readonly statusCode = 503;
  readonly dependency: string;
  constructor(dependency: string, message: string, options?: { cause?: unknown }) {
    super(`${dependency}: ${message}`, options);
    this.dependency = dependency;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
