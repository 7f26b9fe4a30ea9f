// The one door to the OS browser. Only http(s) links pass; a link on one of the team's servers opens
// at once, any other only after the person says so in a dialog of main's (a page cannot click it),
// showing where it leads. One question at a time: a page opening links in a loop gets one dialog.
import type { BaseWindow, Dialog, MessageBoxOptions, Shell } from 'electron';
import { isHttpUrl } from './app-url';
import { ParleyError } from './errors';
import type { Logger } from './log';

export interface ExternalLinkDeps {
  shell: Pick<Shell, 'openExternal'>;
  dialog: Pick<Dialog, 'showMessageBox'>;
  isTeamUrl(url: string): boolean;
  /** The window the question belongs to (modal to it), when there is one. */
  parent(): BaseWindow | null;
  log: Logger;
}

export interface ExternalLinks {
  /** Resolves true when the link was opened; rejects EXTERNAL_URL_REJECTED for anything but http(s). */
  open(url: string): Promise<boolean>;
}

const SHOWN_URL_MAX = 300;

export function externalLinkQuestion(url: string): MessageBoxOptions {
  const { origin } = new URL(url);
  const shown = url.length > SHOWN_URL_MAX ? `${url.slice(0, SHOWN_URL_MAX)}…` : url;
  return {
    type: 'warning',
    title: 'Open a link',
    message: `Open ${origin} in your browser?`,
    detail: `${shown}\n\nThis link is not on your team's server. Open it only if you trust where it leads.`,
    buttons: ['Open link', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}

export function createExternalLinks(deps: ExternalLinkDeps): ExternalLinks {
  let asking = false;
  const openNow = async (url: string): Promise<boolean> => {
    await deps.shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK (http/https only, checked in open)
    return true;
  };
  return {
    async open(url) {
      if (!isHttpUrl(url)) throw new ParleyError('EXTERNAL_URL_REJECTED', 'Only http and https links can be opened.');
      if (deps.isTeamUrl(url)) return openNow(url);
      if (asking) {
        deps.log.warn('external-link.dropped_while_asking', { origin: new URL(url).origin });
        return false;
      }
      asking = true;
      try {
        const parent = deps.parent();
        const question = externalLinkQuestion(url);
        const { response } = parent ? await deps.dialog.showMessageBox(parent, question) : await deps.dialog.showMessageBox(question);
        if (response !== 0) {
          deps.log.info('external-link.declined', { origin: new URL(url).origin });
          return false;
        }
        return await openNow(url);
      } finally {
        asking = false;
      }
    },
  };
}
