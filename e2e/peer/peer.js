// Test peer for end-to-end tests: a SIP.js phone in a headless Chromium page (caller, colleague, payment line).
// Plain ESM, no build. SIP.js is served unbundled at /sipjs/. The API lives on window.peer (see README in
// e2e/support/peer.ts). Never log DTMF digits: the console of this page must stay free of them.
import { Inviter, Registerer, SessionState, SIPExtension, UserAgent } from '/sipjs/index.js';
import { analyse, detectDtmf } from './peer-audio.js';

const MEDIA_CONSTRAINTS = {
  audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  video: false
};
const SDH_OPTIONS = { constraints: MEDIA_CONSTRAINTS };

/** @type {{ ua?: UserAgent, registerer?: Registerer, config?: any }} */
const phone = {};
/** @type {import('/sipjs/index.js').Session | undefined} */
let current;
/** @type {import('/sipjs/index.js').Session | undefined} */
let held;
/** @type {import('/sipjs/index.js').Invitation | undefined} */
let pendingInvitation;
let autoAnswerEnabled = false;
let stopping = false;
let audioContext;
const audioElement = new Audio();
audioElement.autoplay = true;

const info = {
  registered: false,
  registrationError: null,
  transportConnected: false,
  callState: 'idle',
  callDirection: null,
  lastCallError: null,
  incoming: null,
  callsReceived: 0,
  callsEstablished: 0,
  callsEnded: 0,
  refersReceived: 0,
  replacesReceived: 0,
  transferError: null,
  notifiesSent: 0,
  dtmfInfoCount: 0,
  events: []
};

function event(text) {
  info.events.push(`${new Date().toISOString()} ${text}`);
  if (info.events.length > 200) info.events.shift();
}

function headersOf(message) {
  /** @type {Record<string, string[]>} */
  const out = {};
  for (const [name, values] of Object.entries(message.headers)) {
    out[name.toLowerCase()] = values.map((v) => v.raw);
  }
  return out;
}

/** Make `session` the current call and follow its state, REFERs and INFOs. */
function track(session, direction) {
  if (current && current !== session && current.state === SessionState.Established) held = current;
  current = session;
  info.callDirection = direction;
  info.callState = direction === 'incoming' ? 'ringing' : 'calling';
  session.delegate = {
    onRefer: (referral) => followRefer(session, referral),
    onInfo: (request) => {
      // DTMF over SIP INFO is counted, never logged or stored as digits.
      info.dtmfInfoCount += 1;
      void request.accept();
    }
  };
  session.stateChange.addListener((state) => {
    event(`${direction} session ${state}`);
    if (state === SessionState.Established) {
      info.callsEstablished += 1;
      if (current === session) {
        info.callState = 'established';
        attachRemoteAudio(session);
      }
    }
    if (state === SessionState.Terminated) {
      info.callsEnded += 1;
      if (current === session) {
        info.callState = 'terminated';
      }
      if (pendingInvitation === session) pendingInvitation = undefined;
    }
  });
}

function attachRemoteAudio(session) {
  const stream = session.sessionDescriptionHandler?.remoteMediaStream;
  if (stream && audioElement.srcObject !== stream) {
    audioElement.srcObject = stream;
    void audioElement.play().catch(() => undefined);
  }
}

/**
 * Transferee's report to the transferor, as a real phone sends it (RFC 3515 section 2.4.4): an in-dialog
 * NOTIFY (Event: refer) whose message/sipfrag body is the status line of our INVITE to the target.
 */
function notifyReferrer(session, statusLine, final) {
  if (session.state !== SessionState.Established || !session.dialog) return;
  try {
    session.dialog.notify(undefined, {
      extraHeaders: [
        'Event: refer',
        `Subscription-State: ${final ? 'terminated;reason=noresource' : 'active;expires=60'}`
      ],
      body: { contentDisposition: 'render', contentType: 'message/sipfrag;version=2.0', content: statusLine }
    });
    info.notifiesSent += 1;
  } catch (error) {
    event(`NOTIFY not sent: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Transferee: accept the REFER, call the Refer-To target, report the outcome to the transferor in NOTIFYs,
 * and hang up the old leg once the new call is up. If the target is not reached the old call stays: the
 * caller is back with the transferor.
 */
function followRefer(oldSession, referral) {
  info.refersReceived += 1;
  info.transferError = null;
  event('REFER received');
  void referral.accept().then(() => {
    notifyReferrer(oldSession, 'SIP/2.0 100 Trying', false);
    const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: SDH_OPTIONS });
    track(inviter, 'outgoing');
    let reported = false;
    const report = (statusLine) => {
      if (reported) return;
      reported = true;
      notifyReferrer(oldSession, statusLine, true);
    };
    const back = (statusLine) => {
      if (reported) return;
      info.transferError = statusLine.replace(/^SIP\/2\.0 /, '');
      report(statusLine);
      if (oldSession.state === SessionState.Established) {
        current = oldSession;
        info.callState = 'established';
        attachRemoteAudio(oldSession);
      }
    };
    let established = false;
    inviter.stateChange.addListener((state) => {
      if (state === SessionState.Established) {
        established = true;
        report('SIP/2.0 200 OK');
        if (oldSession.state === SessionState.Established) void oldSession.bye().catch(() => undefined);
      }
      // Ended unanswered with no final response seen (SIP.js terminates before onReject runs: wait a tick).
      if (state === SessionState.Terminated && !established) {
        setTimeout(() => back('SIP/2.0 487 Request Terminated'), 0);
      }
    });
    return inviter.invite({
      requestDelegate: {
        onReject: (response) =>
          back(`SIP/2.0 ${response.message.statusCode} ${response.message.reasonPhrase}`)
      }
    });
  });
}

function onInvite(invitation) {
  info.callsReceived += 1;
  const message = invitation.request;
  info.incoming = {
    from: message.from.uri.toString(),
    to: message.to.uri.toString(),
    requestUri: message.ruri.toString(),
    headers: headersOf(message),
    replaces: Boolean(invitation.replacee)
  };
  event(`INVITE received${invitation.replacee ? ' with Replaces' : ''}`);
  if (invitation.replacee) {
    // Attended transfer: SIP.js sends BYE to the replaced session once this one is accepted.
    info.replacesReceived += 1;
    track(invitation, 'incoming');
    void invitation.accept({ sessionDescriptionHandlerOptions: SDH_OPTIONS });
    return;
  }
  const busy =
    (current && current.state === SessionState.Established) ||
    (pendingInvitation && pendingInvitation !== invitation);
  if (busy) {
    void invitation.reject({ statusCode: 486 });
    return;
  }
  pendingInvitation = invitation;
  track(invitation, 'incoming');
  if (autoAnswerEnabled) void answer();
}

function requireUa() {
  if (!phone.ua) throw new Error('peer: register() first');
  return phone.ua;
}

function scheduleReconnect() {
  if (stopping || !phone.ua) return;
  setTimeout(() => {
    if (stopping || !phone.ua || phone.ua.isConnected()) return;
    phone.ua
      .reconnect()
      .then(() => registerOnce())
      .catch(() => scheduleReconnect());
  }, 1000);
}

function registerOnce() {
  const registerer = phone.registerer;
  if (!registerer) return Promise.reject(new Error('peer: no registerer'));
  return new Promise((resolve, reject) => {
    void registerer
      .register({
        requestDelegate: {
          onAccept: () => {
            info.registered = true;
            info.registrationError = null;
            resolve(undefined);
          },
          onReject: (response) => {
            info.registered = false;
            const text = `${response.message.statusCode} ${response.message.reasonPhrase}`;
            info.registrationError = text;
            reject(new Error(`REGISTER rejected: ${text}`));
          }
        }
      })
      .catch((error) => reject(error instanceof Error ? error : new Error(String(error))));
  });
}

/**
 * Register with the PBX. Resolves when registered; rejects with an Error naming the SIP status.
 * @param {{ wsUrl: string, domain: string, user: string, username: string, password: string }} options
 */
async function register(options) {
  if (phone.ua) await stop();
  stopping = false;
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${options.user}@${options.domain}`),
    transportOptions: { server: options.wsUrl, connectionTimeout: 5 },
    authorizationUsername: options.username,
    authorizationPassword: options.password,
    sipExtensionReplaces: SIPExtension.Supported,
    logLevel: 'error',
    logBuiltinEnabled: false,
    sessionDescriptionHandlerFactoryOptions: {
      peerConnectionConfiguration: { iceServers: [] },
      iceGatheringTimeout: 1000
    },
    delegate: {
      onInvite,
      onConnect: () => {
        info.transportConnected = true;
      },
      onDisconnect: () => {
        info.transportConnected = false;
        info.registered = false;
        scheduleReconnect();
      }
    }
  });
  phone.ua = ua;
  phone.config = options;
  phone.registerer = new Registerer(ua, { expires: 300 });
  await ua.start();
  await registerOnce();
  return state();
}

/** Unregister and close the WebSocket. */
async function stop() {
  stopping = true;
  const { ua, registerer } = phone;
  phone.ua = undefined;
  phone.registerer = undefined;
  info.registered = false;
  if (current && current.state !== SessionState.Terminated) await hangup().catch(() => undefined);
  if (registerer) await registerer.unregister().catch(() => undefined);
  if (ua) await ua.stop().catch(() => undefined);
}

/**
 * Call a number at the registered domain. Resolves when established; rejects with the SIP status in the message.
 * @param {string} number
 * @param {{ extraHeaders?: string[] }} [options]
 */
function call(number, options = {}) {
  const ua = requireUa();
  const target = UserAgent.makeURI(`sip:${number}@${phone.config.domain}`);
  if (!target) throw new Error(`peer: bad number ${number}`);
  const inviter = new Inviter(ua, target, {
    extraHeaders: options.extraHeaders ?? [],
    sessionDescriptionHandlerOptions: SDH_OPTIONS
  });
  track(inviter, 'outgoing');
  info.lastCallError = null;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (text) => {
      if (settled) return;
      settled = true;
      info.lastCallError = text;
      reject(new Error(`call to ${number} failed: ${text}`));
    };
    inviter.stateChange.addListener((s) => {
      if (s === SessionState.Established && !settled) {
        settled = true;
        resolve(state());
      }
      // SIP.js moves to Terminated before calling the onReject delegate: give the status code a chance first.
      if (s === SessionState.Terminated) setTimeout(() => fail('terminated before answer'), 0);
    });
    inviter
      .invite({
        requestDelegate: {
          onReject: (response) => fail(`${response.message.statusCode} ${response.message.reasonPhrase}`)
        }
      })
      .catch((error) => fail(error instanceof Error ? error.message : String(error)));
  });
}

/** Answer the ringing incoming call. */
async function answer() {
  const invitation = pendingInvitation;
  if (!invitation) throw new Error('peer: no incoming call to answer');
  pendingInvitation = undefined;
  await invitation.accept({ sessionDescriptionHandlerOptions: SDH_OPTIONS });
  return state();
}

/** Reject the ringing incoming call (default 486 Busy Here). */
async function decline(statusCode = 486) {
  const invitation = pendingInvitation;
  if (!invitation) throw new Error('peer: no incoming call to decline');
  pendingInvitation = undefined;
  await invitation.reject({ statusCode });
  return state();
}

/** End the current call whatever its state (BYE, CANCEL or reject). */
async function hangup() {
  const session = current;
  if (!session) return state();
  switch (session.state) {
    case SessionState.Initial:
    case SessionState.Establishing:
      if (session instanceof Inviter) await session.cancel();
      else await session.reject();
      break;
    case SessionState.Established:
      await session.bye();
      break;
    default:
      break;
  }
  return state();
}

function autoAnswer(enabled) {
  autoAnswerEnabled = Boolean(enabled);
  if (autoAnswerEnabled && pendingInvitation) void answer();
  return state();
}

function state() {
  return JSON.parse(JSON.stringify({ ...info, sessionState: current ? current.state : null }));
}

function peerConnection() {
  const pc = current?.sessionDescriptionHandler?.peerConnection;
  if (!pc) throw new Error('peer: no media on the current call');
  return pc;
}

/** RTP counters of the current call from getStats(). */
async function rtpStats() {
  const report = await peerConnection().getStats();
  const out = { bytesReceived: 0, packetsReceived: 0, bytesSent: 0, packetsSent: 0, audioLevel: 0 };
  report.forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      out.bytesReceived += s.bytesReceived ?? 0;
      out.packetsReceived += s.packetsReceived ?? 0;
      out.audioLevel = Math.max(out.audioLevel, s.audioLevel ?? 0);
    }
    if (s.type === 'outbound-rtp' && s.kind === 'audio') {
      out.bytesSent += s.bytesSent ?? 0;
      out.packetsSent += s.packetsSent ?? 0;
    }
  });
  return out;
}

/** Capture `ms` of the current call's remote audio as mono Float32 PCM at the context's rate. */
async function capture(ms) {
  const stream = current?.sessionDescriptionHandler?.remoteMediaStream;
  if (!stream || stream.getAudioTracks().length === 0)
    throw new Error('peer: no remote audio on the current call');
  attachRemoteAudio(current);
  audioContext ??= new AudioContext({ sampleRate: 48000 });
  if (audioContext.state !== 'running') await audioContext.resume();
  const source = audioContext.createMediaStreamSource(stream);
  const processor = audioContext.createScriptProcessor(4096, 1, 1);
  const sink = audioContext.createGain();
  sink.gain.value = 0;
  const wanted = Math.round((audioContext.sampleRate * ms) / 1000);
  const chunks = [];
  let have = 0;
  await new Promise((resolve) => {
    processor.onaudioprocess = (e) => {
      if (have >= wanted) return;
      chunks.push(new Float32Array(e.inputBuffer.getChannelData(0)));
      have += e.inputBuffer.length;
      if (have >= wanted) resolve(undefined);
    };
    source.connect(processor);
    processor.connect(sink);
    sink.connect(audioContext.destination);
  });
  source.disconnect();
  processor.disconnect();
  sink.disconnect();
  const pcm = new Float32Array(have);
  let offset = 0;
  for (const c of chunks) {
    pcm.set(c, offset);
    offset += c.length;
  }
  return { pcm, sampleRate: audioContext.sampleRate };
}

/**
 * Measure the remote audio of the current call for `ms`.
 * @returns {Promise<{ rmsDbfs: number, dominantHz: number, energies: Record<string, number> }>} energies in dB
 *   relative to a full-scale sine (a -12 dBFS tone reads about -12).
 */
async function listen(ms, freqs = []) {
  const { pcm, sampleRate } = await capture(ms);
  return analyse(pcm, sampleRate, freqs);
}

/** DTMF digits heard as tones in the remote audio during `ms` (inband or played out from RFC 4733 events). */
async function receivedDtmfTones(ms) {
  const { pcm, sampleRate } = await capture(ms);
  return detectDtmf(pcm, sampleRate);
}

/** Send RFC 4733 telephone-events on the current call. Digits are never logged. */
function sendDtmf(tones, duration = 200, gap = 70) {
  const sender = peerConnection()
    .getSenders()
    .find((s) => s.track?.kind === 'audio');
  if (!sender?.dtmf) throw new Error('peer: no DTMF sender');
  sender.dtmf.insertDTMF(tones, duration, gap);
  return true;
}

/**
 * Transferor, blind: REFER the current call to `number`. Resolves with the REFER's final status code.
 * SIP.js sends no NOTIFY after following a REFER, so nothing here waits for one.
 */
function transfer(number) {
  const session = current;
  if (!session || session.state !== SessionState.Established) throw new Error('peer: no established call');
  const target = UserAgent.makeURI(`sip:${number}@${phone.config.domain}`);
  if (!target) throw new Error(`peer: bad number ${number}`);
  return referAndWait(session, target);
}

/** Transferor, attended: REFER the earlier (held) call to the current consultation call, with Replaces. */
function attendedTransfer() {
  if (!held || held.state !== SessionState.Established) throw new Error('peer: no earlier call to transfer');
  if (!current || current.state !== SessionState.Established) throw new Error('peer: no consultation call');
  return referAndWait(held, current);
}

function referAndWait(session, target) {
  return new Promise((resolve, reject) => {
    void session
      .refer(target, {
        requestDelegate: {
          onAccept: (response) => resolve(response.message.statusCode),
          onReject: (response) =>
            reject(
              new Error(`REFER rejected: ${response.message.statusCode} ${response.message.reasonPhrase}`)
            )
        }
      })
      .catch((error) => reject(error instanceof Error ? error : new Error(String(error))));
  });
}

window.peer = {
  transfer,
  attendedTransfer,
  register,
  stop,
  call,
  autoAnswer,
  answer,
  decline,
  hangup,
  state,
  listen,
  rtpStats,
  receivedDtmfTones,
  sendDtmf
};
window.peerReady = true;
