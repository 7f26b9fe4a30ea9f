// One instance of the team server's own typed client (contracts/api-client.ts) per signed-in server.
import { createApiClient, type ApiClient } from '@contracts/api-client';

export type { ApiClient };

export function apiClient(serverUrl: string, token: string | null): ApiClient {
  return createApiClient({ baseUrl: serverUrl, token: token ?? undefined });
}
