/**
 * The ServiceProxy of a Service kube-proxy does not program (headless, ExternalName): there is no virtual
 * IP to DNAT, so a connection addressed through one cannot be served. Clients of such Services resolve
 * pod IPs (or a name) through DNS instead, which is the data path's business.
 */
import type { Seconds } from '../../engine/time.js';
import { Drop, type Endpoint, type ServiceProxy } from '../routing.js';

export class NotProxiedServiceProxy implements ServiceProxy {
  readonly endpoints: readonly Endpoint[] = [];

  choose(): number {
    return Drop.NotProxied;
  }

  connectionCost(): Seconds {
    return 0;
  }

  masquerades(): boolean {
    return false;
  }

  connectionOpened(): void {}

  connectionClosed(): void {}

  viewChanged(): void {}
}
