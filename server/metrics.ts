import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics on a registry of its own, so several servers in one process do not collide. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'parley_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly webhooks = new Counter({
    name: 'parley_livekit_webhooks_total',
    help: 'LiveKit webhooks received, by event and outcome',
    labelNames: ['event', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly logins = new Counter({
    name: 'parley_logins_total',
    help: 'Sign-in attempts by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly joins = new Counter({
    name: 'parley_room_joins_total',
    help: 'Join tokens issued, by role',
    labelNames: ['role'] as const,
    registers: [this.registry],
  });
  readonly eventStreams = new Gauge({ name: 'parley_event_streams', help: 'Open event streams', registers: [this.registry] });
  readonly lobbyWaiting = new Gauge({ name: 'parley_lobby_waiting', help: 'Guests waiting in lobbies', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
  }
}
