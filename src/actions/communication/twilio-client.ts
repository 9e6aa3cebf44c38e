import type { Outbound } from '../http/http-client.js';
import { basicAuth } from './credential-fields.js';
import { serviceError, servicePost, statusCode, stringField, unexpectedResponse } from './service-http.js';

export interface TwilioAccount {
  readonly baseUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
}

export interface SmsRequest {
  readonly to: string;
  readonly body: string;
  readonly from?: string | undefined;
  readonly messagingServiceSid?: string | undefined;
}

export interface QueuedSms {
  readonly sid: string;
  /** `queued` or `accepted` (messaging service); delivery is reported later by status callbacks. */
  readonly status: string;
  readonly to: string;
}

/**
 * Messages API: form-encoded POST → 201 with the message resource. Errors carry Twilio's own code
 * (21211 invalid To, 20003 authentication...), which the step error keeps as `twilio_<code>`.
 */
export async function createMessage(account: TwilioAccount, sms: SmsRequest, io: Outbound): Promise<QueuedSms> {
  const form = new URLSearchParams({ To: sms.to });
  if (sms.from !== undefined) form.set('From', sms.from);
  if (sms.messagingServiceSid !== undefined) form.set('MessagingServiceSid', sms.messagingServiceSid);
  form.set('Body', sms.body);
  const res = await servicePost({
    url: `${account.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/Messages.json`,
    headers: {
      authorization: basicAuth(account.accountSid, account.authToken),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: form.toString(),
    ...io,
  });
  if (res.status >= 200 && res.status < 300) {
    const sid = stringField(res.body, 'sid');
    if (sid === undefined) throw unexpectedResponse('Twilio', res, 'a message sid');
    return { sid, status: stringField(res.body, 'status') ?? 'queued', to: stringField(res.body, 'to') ?? sms.to };
  }
  const code = stringField(res.body, 'code');
  const message = stringField(res.body, 'message');
  throw serviceError(res, {
    label: 'Twilio',
    code: code === undefined ? statusCode('twilio', res.status) : `twilio_${code}`,
    detail: code === undefined ? message : `${message ?? 'error'} (code ${code})`,
    details: code === undefined ? {} : { twilio_code: Number(code), more_info: stringField(res.body, 'more_info') },
  });
}
