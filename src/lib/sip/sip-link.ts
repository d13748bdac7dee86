import {
  Registerer,
  SIPExtension,
  RegistererState,
  UserAgent,
  type Invitation,
  type SessionDescriptionHandlerFactory
} from 'sip.js';
import { backoffDelay } from '$lib/domain/backoff';
import {
  nextRegistrationState,
  type RegistrationEvent,
  type RegistrationState
} from '$lib/domain/registration';
import { registrationFailureMessage } from '$lib/domain/sip-status';
import type { SipCredentials } from './phone-config';

/** Timers and randomness, injected so reconnection can be driven by a fake clock. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

export interface SipLinkOptions {
  /** User part of the address of record this link registers (own extension or the main line). */
  aor: string;
  domain: string;
  wsUrl: string;
  displayName: string;
  credentials: SipCredentials;
  sdhFactory: SessionDescriptionHandlerFactory;
  logConnector: (level: string, category: string, label: string | undefined, content: string) => void;
  scheduler: Scheduler;
  onInvite(invitation: Invitation): void;
  onState(state: RegistrationState, detail: string | null): void;
  /** Seconds a registration lasts before SIP.js refreshes it. */
  expires?: number;
}

const BACKOFF = { baseMs: 500, maxMs: 5000 };

/**
 * One SIP.js UserAgent + Registerer pair over its own WebSocket, driven by the
 * registration state machine (see `$lib/domain/registration`). When the PBX goes
 * away it reconnects and registers again with exponential backoff and jitter;
 * when the PBX rejects the credentials it stops and says so.
 */
export class SipLink {
  readonly userAgent: UserAgent;
  #registerer: Registerer;
  #state: RegistrationState = 'offline';
  #detail: string | null = null;
  #attempt = 0;
  #retryTimer: unknown = null;

  constructor(private readonly opts: SipLinkOptions) {
    const uri = UserAgent.makeURI(`sip:${opts.aor}@${opts.domain}`);
    if (!uri) throw new Error(`Invalid SIP address for ${opts.aor}@${opts.domain}`);
    this.userAgent = new UserAgent({
      uri,
      displayName: opts.displayName,
      authorizationUsername: opts.credentials.username,
      authorizationPassword: opts.credentials.password,
      transportOptions: { server: opts.wsUrl, connectionTimeout: 5, keepAliveInterval: 15 },
      sessionDescriptionHandlerFactory: opts.sdhFactory,
      logBuiltinEnabled: false,
      logLevel: 'warn',
      logConnector: opts.logConnector,
      sipExtensionReplaces: SIPExtension.Supported,
      delegate: {
        onInvite: (invitation) => opts.onInvite(invitation),
        onDisconnect: (error) => {
          if (error) this.#lost('Connection to the phone system lost');
        }
      }
    });
    this.#registerer = new Registerer(this.userAgent, { expires: opts.expires ?? 300 });
    this.#registerer.stateChange.addListener((s) => {
      // A refresh that fails after the PBX lost our binding: register again through the machine.
      if (s === RegistererState.Unregistered && this.#state === 'registered') this.#lost('Registration lost');
    });
  }

  get state(): RegistrationState {
    return this.#state;
  }

  /** Why the link is in its state (a rejection or connection message), null when all is well. */
  get detail(): string | null {
    return this.#detail;
  }

  /** Connects and registers; resolves once the first attempt is under way (state tells the rest). */
  async start(): Promise<void> {
    if (this.#state !== 'offline' && this.#state !== 'rejected') return;
    this.#fire('start', null);
    await this.#connectAndRegister(false);
  }

  /** Replaces the credentials used for the next challenge (ephemeral credentials are refreshed). */
  updateCredentials(credentials: SipCredentials): void {
    this.userAgent.configuration.authorizationUsername = credentials.username;
    this.userAgent.configuration.authorizationPassword = credentials.password;
  }

  /** Unregisters (best effort) and closes the WebSocket. */
  async stop(): Promise<void> {
    this.#clearRetry();
    const wasRegistered = this.#state === 'registered';
    this.#fire('stop', null);
    if (wasRegistered) await this.#registerer.unregister().catch(() => undefined);
    await this.userAgent.stop().catch(() => undefined);
  }

  async #connectAndRegister(reconnect: boolean): Promise<void> {
    try {
      if (reconnect) await this.userAgent.reconnect();
      else await this.userAgent.start();
    } catch {
      this.#lost('The phone system is unreachable');
      return;
    }
    if (this.#state !== 'connecting' && this.#state !== 'reconnecting') return;
    this.#fire('transport-up', null);
    await this.#register();
  }

  async #register(): Promise<void> {
    try {
      await this.#registerer.register({
        requestDelegate: {
          onAccept: () => {
            if (this.#state !== 'registering' && this.#state !== 'registered') return;
            this.#attempt = 0;
            this.#fire('registered', null);
          },
          onReject: (response) => {
            const code = response.message.statusCode;
            if (code === 401 || code === 403 || code === 407) {
              this.#fire('rejected', registrationFailureMessage(code));
            } else {
              this.#fire('failed', registrationFailureMessage(code));
              this.#scheduleRetry();
            }
          }
        }
      });
    } catch {
      // A REGISTER already in flight or a transport hiccup: the state machine decides what follows.
      if (this.#state === 'registering') {
        this.#fire('failed', 'The phone system did not answer the sign-in');
        this.#scheduleRetry();
      }
    }
  }

  #lost(detail: string): void {
    if (this.#state === 'offline' || this.#state === 'rejected') return;
    if (this.#state !== 'reconnecting') this.#fire('transport-lost', detail);
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#state !== 'reconnecting' || this.#retryTimer !== null) return;
    const delay = backoffDelay(this.#attempt++, BACKOFF, () => this.opts.scheduler.random());
    this.#retryTimer = this.opts.scheduler.setTimeout(() => {
      this.#retryTimer = null;
      if (this.#state !== 'reconnecting') return;
      this.#fire('retry', null);
      void this.#connectAndRegister(true);
    }, delay);
  }

  #clearRetry(): void {
    if (this.#retryTimer !== null) this.opts.scheduler.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #fire(event: RegistrationEvent, detail: string | null): void {
    this.#state = nextRegistrationState(this.#state, event);
    if (detail !== null || event === 'registered' || event === 'stop' || event === 'start')
      this.#detail = detail;
    this.opts.onState(this.#state, detail);
  }
}
