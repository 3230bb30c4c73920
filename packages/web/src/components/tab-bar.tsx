import type { JSX } from 'preact';
import { navigate, path } from '../state/router.js';
import { BellIcon, HomeIcon, PersonIcon } from './icons.js';

interface Tab {
  to: string;
  label: string;
  icon: (props: { size?: number }) => JSX.Element;
}

const TABS: Tab[] = [
  { to: '/', label: 'Home', icon: HomeIcon },
  { to: '/notifications', label: 'Notifications', icon: BellIcon },
  { to: '/me', label: 'Me', icon: PersonIcon },
];

/** The bottom tab bar; `unread` is the badge on Notifications (99+ past 99, as WeChat shows it). */
export function TabBar({ unread }: { unread: number }) {
  return (
    <nav class="tab-bar" aria-label="Main">
      {TABS.map((tab) => {
        const current = path.value === tab.to;
        const badge = tab.to === '/notifications' && unread > 0 ? (unread > 99 ? '99+' : String(unread)) : '';
        return (
          <a
            key={tab.to}
            href={tab.to}
            class="tab"
            aria-current={current ? 'page' : undefined}
            aria-label={badge ? `${tab.label}, ${unread} unread` : tab.label}
            onClick={(event) => {
              if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
              event.preventDefault();
              navigate(tab.to, { replace: true });
            }}
          >
            <span class="tab-icon">
              <tab.icon />
              {badge && (
                <span class="badge" aria-hidden="true">
                  {badge}
                </span>
              )}
            </span>
            <span class="tab-label">{tab.label}</span>
          </a>
        );
      })}
    </nav>
  );
}
