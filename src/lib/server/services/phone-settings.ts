import type { Config } from '../config';
import { ephemeralCredentials, type EphemeralCredentials } from '../auth/sip-credentials';
import type { SessionUser } from '../auth/session-user';

/** Body of `GET /api/phone`: everything the softphone needs to register. */
export interface PhoneSettings {
  extension: string;
  displayName: string;
  domain: string;
  /** Full PBX WebSocket URL, or null: derive `ws://<page hostname>:<wsPort>` in the browser. */
  wsUrl: string | null;
  wsPort: number;
  mainLine: { number: string; header: string };
  paymentTargets: string[];
  credentials: EphemeralCredentials;
  /** Only for advisors: credentials to register on the main line AOR, where queue calls ring. */
  queueCredentials: (EphemeralCredentials & { aor: string }) | null;
  /** Echo cancellation, noise suppression and auto gain in the browser (MIC_PROCESSING). */
  micProcessing: boolean;
}

/**
 * Builds the phone settings of a user who has an extension (the caller checks that).
 * Pure apart from HMAC: config and now are given.
 */
export function buildPhoneSettings(
  user: SessionUser & { extension: string },
  config: Config,
  now: Date
): PhoneSettings {
  const ttl = config.sipCredentialTtlSeconds;
  return {
    extension: user.extension,
    displayName: user.displayName,
    domain: config.sipDomain,
    wsUrl: config.pbxWsUrl,
    wsPort: config.pbxWsPort,
    mainLine: { number: config.mainLineNumber, header: config.recordedLineHeader },
    paymentTargets: [...config.paymentLineTargets],
    credentials: ephemeralCredentials(config.sipSharedSecret, user.extension, now, ttl),
    queueCredentials:
      user.role === 'advisor'
        ? {
            aor: config.mainLineNumber,
            ...ephemeralCredentials(config.sipSharedSecret, config.mainLineNumber, now, ttl)
          }
        : null,
    micProcessing: config.micProcessing
  };
}
