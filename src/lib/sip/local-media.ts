import { microphoneErrorMessage } from '$lib/domain/sip-status';

/** Raised when the microphone cannot be opened; `message` is ready to show. */
export class MicrophoneError extends Error {
  constructor(readonly errorName: string) {
    super(microphoneErrorMessage(errorName));
    this.name = 'MicrophoneError';
  }
}

/** The media side effects the SIP layer needs, injected so tests and other hosts can replace them. */
export interface MediaPort {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
}

/** Which microphone to open and how. */
export interface MicSettings {
  deviceId: string | null;
  processing: boolean;
}

/** getUserMedia constraints for the advisor's microphone (audio only). */
export function micConstraints(settings: MicSettings): MediaStreamConstraints {
  return {
    audio: {
      ...(settings.deviceId ? { deviceId: { exact: settings.deviceId } } : {}),
      echoCancellation: settings.processing,
      noiseSuppression: settings.processing,
      autoGainControl: settings.processing
    },
    video: false
  };
}

/** Opens the microphone, turning DOMExceptions into a {@link MicrophoneError}. */
export async function openMicrophone(media: MediaPort, settings: MicSettings): Promise<MediaStream> {
  try {
    return await media.getUserMedia(micConstraints(settings));
  } catch (error) {
    const name = error instanceof Error ? error.name : 'UnknownError';
    throw new MicrophoneError(name);
  }
}
