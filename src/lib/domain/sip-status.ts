/**
 * Turns SIP final responses and media errors into messages an advisor can act on.
 * Pure: no SIP.js types, only status codes and error names.
 */

/** Message for a failed outgoing call, by SIP status code. */
export function callFailureMessage(statusCode: number | undefined, number: string): string {
  switch (statusCode) {
    case 404:
    case 484:
    case 604:
      return `Number not found: ${number}`;
    case 486:
    case 600:
      return `${number} is busy`;
    case 408:
    case 480:
      return `No answer from ${number}`;
    case 603:
      return `${number} declined the call`;
    case 401:
    case 403:
    case 407:
      return `The phone system refused this call (${statusCode})`;
    case 503:
    case 500:
      return 'The phone system could not connect the call. Try again.';
    case undefined:
      return `The call to ${number} could not be connected`;
    default:
      return `The call to ${number} failed (${statusCode})`;
  }
}

/** Message for a rejected transfer (REFER answered with an error). */
export function transferFailureMessage(statusCode: number | undefined): string {
  if (statusCode === undefined)
    return 'Transfer failed: no answer from the phone system. The caller is still with you.';
  return `Transfer rejected (${statusCode}). The caller is still with you.`;
}

/** Message for a transfer whose target was not reached (the transferee's NOTIFY reported a failure). */
export function transferOutcomeFailureMessage(statusCode: number): string {
  return `The transfer did not go through (${statusCode}). The caller is back with you.`;
}

/** Message for a registration rejected by the PBX. */
export function registrationFailureMessage(statusCode: number | undefined): string {
  if (statusCode === 401 || statusCode === 403 || statusCode === 407) {
    return `Wrong SIP credentials: the phone system refused to sign this phone in (${statusCode}). Ask an admin to check your SIP account.`;
  }
  if (statusCode === undefined) return 'The phone system did not answer the sign-in.';
  return `The phone system refused to sign this phone in (${statusCode}).`;
}

/** Message for a getUserMedia failure, by DOMException name. */
export function microphoneErrorMessage(errorName: string): string {
  switch (errorName) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access is blocked. Allow the microphone for this site in the browser, then try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone found. Plug in a headset or choose another microphone.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone is in use by another program or cannot be opened.';
    default:
      return `The microphone could not be opened (${errorName}).`;
  }
}
