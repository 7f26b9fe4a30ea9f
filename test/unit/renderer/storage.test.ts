// @vitest-environment jsdom
// Sessions are kept per team server: a link to another server, or signing out of one, never costs
// the person their session anywhere else.
import { beforeEach, describe, expect, it } from 'vitest';
import { KEYS, pendingRoom, serverKey, sessions } from '@renderer/lib/storage';

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});

describe('sessions per team server', () => {
  it('keeps each server’s token under its origin; clearing one leaves the others', () => {
    sessions.setToken('https://meet.acme.test/', 'acme-token');
    sessions.setToken('https://evil.test:8443', 'other-token');
    expect(sessions.token('https://meet.acme.test')).toBe('acme-token');
    expect(sessions.token('https://meet.acme.test:443/')).toBe('acme-token');
    sessions.setToken('https://evil.test:8443', null);
    expect(sessions.token('https://evil.test:8443')).toBeNull();
    expect(sessions.token('https://meet.acme.test')).toBe('acme-token');
  });

  it('remembers the last server apart from the tokens', () => {
    sessions.setToken('https://meet.acme.test', 'acme-token');
    sessions.setLastServer('https://evil.test:8443/');
    expect(sessions.lastServer()).toBe('https://evil.test:8443');
    expect(sessions.token('https://meet.acme.test')).toBe('acme-token');
  });

  it('moves the one session of earlier versions over, once', () => {
    localStorage.setItem(KEYS.legacySession, JSON.stringify({ serverUrl: 'http://127.0.0.1:8080', token: 'old-token' }));
    expect(sessions.token('http://127.0.0.1:8080')).toBe('old-token');
    expect(sessions.lastServer()).toBe('http://127.0.0.1:8080');
    expect(localStorage.getItem(KEYS.legacySession)).toBeNull();
  });

  it('ignores damaged storage and anything that is not an http(s) server', () => {
    localStorage.setItem(KEYS.sessions, '{"https://a.test": 42');
    expect(sessions.token('https://a.test')).toBeNull();
    sessions.setToken('javascript:alert(1)', 'x');
    expect(serverKey('javascript:alert(1)')).toBeNull();
    expect(localStorage.getItem(KEYS.sessions)).toBe('{"https://a.test": 42');
    // The next sign-in starts a clean record.
    sessions.setToken('https://a.test', 'fresh');
    expect(sessions.token('https://a.test')).toBe('fresh');
  });
});

describe('a room waiting for the page to load again', () => {
  it('is handed over once, and only for its server', () => {
    pendingRoom.set('https://evil.test:8443', 'standup');
    expect(pendingRoom.take('https://meet.acme.test')).toBeNull();
    pendingRoom.set('https://evil.test:8443', 'standup');
    expect(pendingRoom.take('https://evil.test:8443/')).toBe('standup');
    expect(pendingRoom.take('https://evil.test:8443')).toBeNull();
  });
});
