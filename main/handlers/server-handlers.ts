// servers:* — adding a team server (asked first, main/team-servers.ts) and learning what one hands out.
import type { HandlerGroup } from '../ipc';
import type { TeamServers } from '../team-servers';

export interface ServerHandlerDeps {
  servers: TeamServers;
  /** The main page's CSP predates what the app now allows. */
  pageStale(): boolean;
}

export function serverHandlers({ servers, pageStale }: ServerHandlerDeps): HandlerGroup<'servers:add' | 'servers:sync'> {
  return {
    'servers:add': async (request) => ({ server: await servers.add(request), reload: pageStale() }),
    'servers:sync': async ({ url }) => {
      await servers.sync(url);
      return { reload: pageStale() };
    },
  };
}
