import type { Session } from '../session';

/** `shutdown`: refused when repeated; from now on only `exit` is accepted. */
export function shutdown(session: Session): void {
  session.refuseAfterShutdown();
  session.lifecycle.shutdownRequested = true;
}
