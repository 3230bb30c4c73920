/**
 * Loaded into every demo sample before its own code (`node --import …/orphan-guard.js`): a sample must not
 * outlive Beckon. Beckon starts it with an IPC channel, which closes however Beckon ends (a clean exit, a
 * crash, SIGKILL); the sample then gets SIGTERM, and closes as it does on Ctrl-C.
 */
if (process.channel) {
  // The channel alone must not keep the sample running.
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
