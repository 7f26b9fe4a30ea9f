import { describe, expect, it } from 'vitest';
import { buildSfuConfig, generateSfuKeys, isLoopback } from '@server/sfu/livekit-config';

describe('livekit-server config', () => {
  it('generates fresh keys that are never the well-known dev pair', () => {
    const a = generateSfuKeys();
    const b = generateSfuKeys();
    expect(a.apiKey).not.toBe('devkey');
    expect(a.apiSecret).not.toBe('secret');
    expect(a.apiSecret.length).toBeGreaterThanOrEqual(32);
    expect(a).not.toEqual(b);
  });

  it('binds loopback with loopback ICE candidates and a UDP mux port', () => {
    const keys = generateSfuKeys();
    const cfg = buildSfuConfig({
      keys,
      bindAddress: '127.0.0.1',
      httpPort: 1,
      rtcTcpPort: 2,
      udpMuxPort: 3,
      webhookUrl: 'http://127.0.0.1:9/livekit/webhook',
    });
    expect(cfg).toMatchObject({
      port: 1,
      bind_addresses: ['127.0.0.1'],
      keys: { [keys.apiKey]: keys.apiSecret },
      rtc: { tcp_port: 2, udp_port: 3, enable_loopback_candidate: true, node_ip: '127.0.0.1' },
      webhook: { api_key: keys.apiKey, urls: ['http://127.0.0.1:9/livekit/webhook'] },
    });
  });

  it('does not advertise loopback candidates when bound to the LAN', () => {
    const cfg = buildSfuConfig({ keys: generateSfuKeys(), bindAddress: '0.0.0.0', httpPort: 1, rtcTcpPort: 2, udpMuxPort: 3 });
    expect((cfg.rtc as Record<string, unknown>).enable_loopback_candidate).toBe(false);
    expect((cfg.rtc as Record<string, unknown>).node_ip).toBeUndefined();
    expect(cfg.webhook).toBeUndefined();
  });

  it('sends media through the one address it is bound to, never through the machine’s other interfaces', () => {
    const base = { keys: generateSfuKeys(), httpPort: 1, rtcTcpPort: 2, udpMuxPort: 3 };
    const rtc = (bindAddress: string, nodeIp?: string) =>
      buildSfuConfig({ ...base, bindAddress, ...(nodeIp ? { nodeIp } : {}) }).rtc as Record<string, unknown>;
    expect(rtc('10.77.4.1')).toMatchObject({ node_ip: '10.77.4.1', ips: { includes: ['10.77.4.1/32'] } });
    // Behind a port forward the candidates still name the public address, sent from the bound one.
    expect(rtc('192.168.1.20', '203.0.113.7')).toMatchObject({ node_ip: '203.0.113.7', ips: { includes: ['192.168.1.20/32'] } });
    expect(rtc('fd00::5')).toMatchObject({ ips: { includes: ['fd00::5/128'] } });
    // Every address (the operator's choice) and loopback keep LiveKit's own choice.
    expect(rtc('0.0.0.0').ips).toBeUndefined();
    expect(rtc('::').ips).toBeUndefined();
    expect(rtc('127.0.0.1').ips).toBeUndefined();
  });

  it('knows loopback addresses', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('192.168.1.2')).toBe(false);
  });
});
