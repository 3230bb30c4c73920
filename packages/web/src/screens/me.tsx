import { Avatar } from '../components/avatar.js';
import { GearIcon, PeopleIcon } from '../components/icons.js';
import { NavRow, RowGlyph } from '../components/list-row.js';
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
            <NavRow
              lead={
                <RowGlyph>
                  <PeopleIcon />
                </RowGlyph>
              }
              title="Friends"
              onClick={() => navigate('/me/friends')}
            />
          </li>
          <li>
            <NavRow
              lead={
                <RowGlyph>
                  <GearIcon />
                </RowGlyph>
              }
              title="Mini program settings"
              onClick={() => navigate('/me/settings')}
            />
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
