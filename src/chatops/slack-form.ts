import { ItwError } from '../model/errors.js';

/** An `application/x-www-form-urlencoded` body as Slack sends it; a missing field is a 400 naming it. */
export class SlackForm {
  private readonly fields: URLSearchParams;

  constructor(raw: Buffer) {
    this.fields = new URLSearchParams(raw.toString('utf8'));
  }

  optional(name: string): string | undefined {
    const v = this.fields.get(name);
    return v === null || v === '' ? undefined : v;
  }

  required(name: string): string {
    const v = this.optional(name);
    if (v === undefined) throw fieldError(name, 'is required');
    return v;
  }
}

export function fieldError(path: string, message: string): ItwError {
  return new ItwError('bad_request', `${path} ${message}`, { details: { errors: [{ in: 'body', path, message }] } });
}
