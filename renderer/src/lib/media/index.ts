// Parley's media module: import everything media-related from here (`$lib/media` style), so every
// decision stays in settings.ts and is documented in docs/media.md.
export * from './settings';
export * from './e2ee';
export * from './effects';
export * from './stats';
export * from './codecs';
