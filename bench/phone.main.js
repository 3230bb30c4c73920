// The phone's bench on its own, as bench/run.js starts it inside scripts/in-loopback.sh (Chromium and every
// server on loopback only, as the browser tests).
import { phoneBench } from './phone.bench.js';

await phoneBench();
