import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), textarea, [href], [tabindex]:not([tabindex="-1"])';

export interface SheetProps {
  /** `bottom`: slides up from the bottom edge (consent, action sheet); `center`: a modal box. */
  place: 'bottom' | 'center';
  /** The id of the element that names the dialog. */
  labelledBy?: string;
  label?: string;
  /** Escape (and the backdrop, when `backdropCloses`). */
  onDismiss: () => void;
  backdropCloses?: boolean;
  children: ComponentChildren;
}

/**
 * A modal dialog of the phone: keeps focus inside while open (Tab cycles, Escape dismisses), gives it
 * back to where it was when closed (unless that was an app's frame). Everything under it is inert (app.tsx), the app's frame included.
 */
export function Sheet({ place, labelledBy, label, onDismiss, backdropCloses, children }: SheetProps) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    // The box itself, not its first button: an Enter meant for what was under it must not answer it.
    (box.current?.querySelector<HTMLElement>('[data-autofocus]') ?? box.current)?.focus();
    return () => {
      // Never back into a mini program's frame: the shell's tap rule would take that focus for the
      // person's tap in the frame (packages/client/README.md, the tap rule).
      if (before?.isConnected && !(before instanceof HTMLIFrameElement)) before.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onDismiss();
      return;
    }
    if (event.key !== 'Tab' || !box.current) return;
    const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (items.length === 0) return;
    const [first, last] = [items[0]!, items[items.length - 1]!];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    // A tap beside an action sheet closes it, as on a phone; keyboards close it with Escape.
    // biome-ignore lint/a11y/noStaticElementInteractions: the backdrop is not a control
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape (onKeyDown below) is its keyboard way
    <div
      class={`backdrop backdrop-${place}`}
      onClick={(event) => {
        if (backdropCloses && event.target === event.currentTarget) onDismiss();
      }}
    >
      <div
        ref={box}
        class={`sheet sheet-${place}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-label={label}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        {children}
      </div>
    </div>
  );
}
