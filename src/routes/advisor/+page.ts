// The softphone lives entirely in the browser: WebRTC, SIP over WebSocket, the microphone.
export const ssr = false;
