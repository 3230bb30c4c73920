// A test mini program page: runs the wx call the test prepared when #act is tapped (or on each touch end,
// or at once from the URL's `auto`), and records every result in `mini.results` and on the console (the
// tests read the console: evaluating script in a page gives it user activation, which the tap rule reads).
const out = document.getElementById('out');
document.getElementById('path').textContent = location.pathname + location.search;

window.mini = {
  results: [],
  shows: [],
  touchEnds: 0,
  next: null,
  onTouchEnd: null,

  /** The call #act runs: `{api, args, style, delay, repeat, andThen}`. */
  prepare(step) {
    this.next = step;
  },

  run(step) {
    const go = () => {
      const record = (ok, res) => {
        this.results.push({ api: step.api, ok, res });
        console.info('beckon-test-result', JSON.stringify({ api: step.api, ok, res, href: location.href }));
        out.textContent = JSON.stringify(this.results, null, 1);
        if (ok && step.andThen) this.run(step.andThen);
      };
      if (step.style === 'callback' || step.andThen) {
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
    const times = () => {
      for (let i = 0; i < (step.repeat ?? 1); i++) go();
    };
    if (step.delay) setTimeout(times, step.delay);
    else times();
  },
};

document.getElementById('act').addEventListener('click', () => mini.next && mini.run(mini.next));
wx.onShow((options) => mini.shows.push(options));
wx.onTouchEnd(() => {
  mini.touchEnds++;
  if (mini.onTouchEnd) mini.run(mini.onTouchEnd);
});
// A call to make at once, from the front end's path (`…/auto-<base64url JSON>/`) or the page's query.
const autoPart = location.pathname.split('/').find((part) => part.startsWith('auto-'));
const auto = autoPart
  ? atob(autoPart.slice(5).replaceAll('-', '+').replaceAll('_', '/'))
  : new URLSearchParams(location.search).get('auto');
if (auto) mini.run(JSON.parse(auto));
