// Browser call overhead, on one page served by the simulator (same origin, no key: the
// simulator's --inject-key stands in for the proxy). `web/bench/browser.mjs` drives it through
// Chromium; `cargo xtask bench` stages it.
import { measure, rawClient } from './measure.js';
import { connect as connectOurs } from './ours.js';
import { connect as connectPeer } from './peer.js';

window.runBench = async (options) => {
  const origin = location.origin;
  const clients = { ours: await connectOurs(origin), peer: connectPeer(origin), raw: rawClient('') };
  return measure(clients, options);
};

document.getElementById('status').textContent = 'ready';
