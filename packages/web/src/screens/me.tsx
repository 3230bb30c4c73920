import { Avatar } from '../components/avatar.js';
import { ChevronIcon, GearIcon, PeopleIcon } from '../components/icons.js';
import { TopBar } from '../components/top-bar.js';
import { navigate } from '../state/router.js';
import { me, signOut } from '../state/session.js';

/** Me: who is signed in, friends, each mini program's settings, sign out. */
export function Me() {
  const user = me.value!;
  return (
    <>
      <TopBar title="Me" />
      <main class="screen-body">
        <section class="profile" aria-label="Your account">
          <Avatar name={user.displayName} seed={user.id} size={60} />
          <div class="profile-text">
            <p class="profile-name">{user.displayName}</p>
            <p class="profile-username">Username: {user.username}</p>
          </div>
        </section>
        <ul class="list list-with-glyphs">
          <li>
            <button type="button" class="list-row" onClick={() => navigate('/me/friends')}>
              <span class="list-row-icon" aria-hidden="true">
                <PeopleIcon />
              </span>
              <span class="list-row-text">
                <span class="list-row-title">Friends</span>
              </span>
              <span class="list-row-end" aria-hidden="true">
                <ChevronIcon size={18} />
              </span>
            </button>
          </li>
          <li>
            <button type="button" class="list-row" onClick={() => navigate('/me/settings')}>
              <span class="list-row-icon" aria-hidden="true">
                <GearIcon />
              </span>
              <span class="list-row-text">
                <span class="list-row-title">Mini program settings</span>
              </span>
              <span class="list-row-end" aria-hidden="true">
                <ChevronIcon size={18} />
              </span>
            </button>
          </li>
        </ul>
        <ul class="list">
          <li>
            <button type="button" class="list-row list-row-centre list-row-danger" onClick={() => signOut()}>
              Sign out
            </button>
          </li>
        </ul>
      </main>
    </>
  );
}
