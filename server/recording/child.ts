// How recording starts its children (the recorder, its encoders, the compositor, ffprobe): through
// the team server's supervised children, so none outlives the process that started it. Encoders are
// the recorder's own children: their lifelines tie them to the recorder, whose lifeline ties it to
// the team server.
import { spawnSupervised, type SupervisedChild, type SuperviseOptions } from '../process/supervised-child';

export type Child = SupervisedChild;
export type { ChildExit } from '../process/supervised-child';

export type ChildOptions = Omit<SuperviseOptions, 'env'> & { env?: NodeJS.ProcessEnv };

export function startChild(opts: ChildOptions): Promise<Child> {
  return spawnSupervised({ ...opts, env: opts.env ?? process.env });
}
