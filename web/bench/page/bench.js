// Browser call overhead, on one page served by the simulator (same origin, no key: the
// simulator's --inject-key stands in for the proxy). `web/bench/browser.mjs` drives it through
// Chromium; `cargo xtask bench` stages it.
import { runBench } from './measure.js';
import { connect as ours } from './ours.js';
import { connect as peer } from './peer.js';

window.runBench = (options) => runBench(location.origin, { ours, peer }, options);

document.getElementById('status').textContent = 'ready';
