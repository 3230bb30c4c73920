// The call-setup bench on its own, as bench/run.js starts it inside scripts/in-loopback.sh.
import { callSetupBench } from './call-setup.bench.js';
import { sdkCallSetup } from './sdk-call-setup.js';

await callSetupBench({ sdkCallSetup });
