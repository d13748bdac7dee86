/**
 * What the browser needs to run the softphone, as served by `GET /api/phone`.
 * Credentials are short-lived (auth_ephemeral) and fetched again before they expire.
 */
export interface SipCredentials {
  username: string;
  password: string;
  /** ISO 8601 time after which the PBX refuses these credentials. */
  expiresAt: string;
}

export interface PhoneConfig {
  extension: string;
  displayName: string;
  domain: string;
  /** Full ws:// or wss:// URL, or null to use ws://<page host>:wsPort. */
  wsUrl: string | null;
  wsPort: number;
  mainLine: { number: string; header: string };
  paymentTargets: string[];
  credentials: SipCredentials;
  /** Only advisors get these: registering them puts the phone on the main line's ring group. */
  queueCredentials: (SipCredentials & { aor: string }) | null;
  /** Browser echo cancellation, noise suppression and auto gain; on unless configured off. */
  micProcessing?: boolean;
  /** ICE servers for WebRTC; empty on a LAN or loopback PBX. */
  iceServers?: RTCIceServer[];
}

/** The WebSocket URL to reach the PBX from this page. */
export function resolveWsUrl(
  config: Pick<PhoneConfig, 'wsUrl' | 'wsPort'>,
  pageLocation: Pick<Location, 'protocol' | 'hostname'>
): string {
  if (config.wsUrl) return config.wsUrl;
  const scheme = pageLocation.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${pageLocation.hostname}:${config.wsPort}`;
}
