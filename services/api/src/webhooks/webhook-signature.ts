import { createHmac, randomBytes } from 'node:crypto';

/**
 * How a receiver knows a delivery is ours and fresh: `X-Rendezvous-Signature: sha256=<hex>` is
 * the HMAC-SHA256, keyed with the hook's secret, of `<X-Rendezvous-Timestamp>.<raw body>`. The
 * timestamp (Unix seconds, new at each attempt) is inside the signed text, so a captured request
 * replayed later carries a stale timestamp the receiver can refuse. Receivers compare in
 * constant time (crypto.timingSafeEqual) against the raw body bytes, before parsing them.
 */
export const SIGNATURE_HEADER = 'x-rendezvous-signature';
export const TIMESTAMP_HEADER = 'x-rendezvous-timestamp';
export const DELIVERY_HEADER = 'x-rendezvous-delivery';

export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Recognisable in configs and secret scanners, like API tokens' `rzv_`. 32 random bytes. */
export const WEBHOOK_SECRET_MARKER = 'whsec_';
export const generateWebhookSecret = (): string => WEBHOOK_SECRET_MARKER + randomBytes(32).toString('base64url');
