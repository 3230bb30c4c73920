// A test mini program page: runs the wx call the test prepared when #act is tapped (or on each touch end,
// or at once from the URL's `auto`), and records every result in `mini.results`.
const out = document.getElementById('out');
document.getElementById('path').textContent = location.pathname + location.search;

window.mini = {
  results: [],
  shows: [],
  touchEnds: 0,
  next: null,
  onTouchEnd: null,

  /** The call #act runs: `{api, args, style: 'promise' | 'callback', delay, then}`. */
  prepare(step) {
    this.next = step;
  },

  run(step) {
    const go = () => {
      const record = (ok, res) => {
        this.results.push({ api: step.api, ok, res });
        out.textContent = JSON.stringify(this.results, null, 1);
        if (ok && step.then) this.run(step.then);
      };
      if (step.style === 'callback' || step.then) {
        const returned = wx[step.api]({
          ...step.args,
          success: (res) => record(true, res),
          fail: (err) => record(false, err),
        });
        if (returned !== undefined) record(false, { errMsg: 'a callback call returned something' });
      } else {
        wx[step.api](step.args).then(
          (res) => record(true, res),
          (err) => record(false, err),
        );
      }
    };
    if (step.delay) setTimeout(go, step.delay);
    else go();
  },
};

document.getElementById('act').addEventListener('click', () => mini.next && mini.run(mini.next));
wx.onShow((options) => mini.shows.push(options));
wx.onTouchEnd(() => {
  mini.touchEnds++;
  if (mini.onTouchEnd) mini.run(mini.onTouchEnd);
});
const auto = new URLSearchParams(location.search).get('auto');
if (auto) mini.run(JSON.parse(auto));
