// vitest setupFiles: unit tests call actions and the HTTP client without an app (which sets the
// policy from config), against fixtures on loopback; the guard stays on and allows loopback only.
import { allowLoopbackEgress } from './loopback-egress.js';

allowLoopbackEgress();
