// uiohook-napi in the harness: a system-wide keyboard hook has no place in a test run, so main gets
// none and push-to-talk uses the platform's fallback (main/shortcuts.ts).
throw new Error('no system key hook in the desktop-app harness');
