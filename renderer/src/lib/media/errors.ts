// The media module's one error type: `code` is stable for a program to branch on, `message` is for people.
export type MediaErrorCode = 'E2EE_BAD_KEY' | 'E2EE_PASSPHRASE_TOO_SHORT' | 'E2EE_UNSUPPORTED' | 'EFFECT_UNSUPPORTED' | 'EFFECT_FAILED';

export class MediaSettingsError extends Error {
  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MediaSettingsError';
  }
}
