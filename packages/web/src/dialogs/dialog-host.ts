import type {
  ModalRequest,
  SubscribeDialogAnswer,
  SubscribeDialogRequest,
  SystemSubscribeDialogAnswer,
  SystemSubscribeDialogRequest,
} from '@beckon/client/shell';
import type { AppListing } from '@beckon/protocol';
import { signal } from '@preact/signals';

/**
 * The dialogs the phone draws over everything (the running app's frame included, made inert while one is
 * open): the platform's consent dialogs, and the modal, action sheet and confirmation an app or the phone
 * asks for. Each is a Promise of the person's answer; one shows at a time, the others wait their turn. The
 * consent dialogs' requests and answers are the shell's own (`ShellUi`).
 */

/**
 * `wx.showModal`'s options as the shell passes them (its ModalRequest), each checked again by the dialog:
 * they are the app's data.
 */
export type ModalOptions = Partial<Omit<ModalRequest, 'app'>>;

/** `wx.showModal`'s success result. */
export interface ModalAnswer {
  confirm: boolean;
  cancel: boolean;
  /** The text typed, for an editable modal confirmed. */
  content?: string;
}

/** `wx.showActionSheet`'s options. */
export interface ActionSheetOptions {
  alertText?: string;
  itemList: string[];
  itemColor?: string;
}

/** A confirmation the phone itself asks (stop a template, remove a friend). */
export interface ConfirmOptions {
  title: string;
  message?: string;
  confirmText: string;
  /** Draws the confirm button in red: it takes something away. */
  destructive?: boolean;
}

/** `wx.modifyFriendInteractiveStorage`: the person confirms an interaction with a friend. */
export interface InteractionOptions {
  app: AppListing;
  friendName: string;
  /** What the interaction says as the game set it (≤ 20 characters), '' for nothing. */
  title: string;
  /** The friend gets no reminder. */
  quiet: boolean;
}

export type DialogRequest = { id: number } & (
  | { kind: 'subscribe'; options: SubscribeDialogRequest; done: (a: SubscribeDialogAnswer) => void }
  | {
      kind: 'system-subscribe';
      options: SystemSubscribeDialogRequest;
      done: (a: SystemSubscribeDialogAnswer) => void;
    }
  | { kind: 'modal'; options: ModalOptions; done: (a: ModalAnswer) => void }
  | { kind: 'action-sheet'; options: ActionSheetOptions; done: (index: number | null) => void }
  | { kind: 'confirm'; options: ConfirmOptions; done: (ok: boolean) => void }
  | { kind: 'interaction'; options: InteractionOptions; done: (ok: boolean) => void }
);

/** The open dialog first, then those waiting. */
export const dialogs = signal<DialogRequest[]>([]);

type Answer<K extends DialogRequest['kind']> = Parameters<Extract<DialogRequest, { kind: K }>['done']>[0];
type Fields<K extends DialogRequest['kind']> = Omit<
  Extract<DialogRequest, { kind: K }>,
  'id' | 'kind' | 'done'
>;

let nextId = 1;

/**
 * Queues a dialog; resolves with the person's answer when they close it. An aborted `signal` (the shell
 * withdrew it: the app went behind or closed) closes it as if dismissed.
 */
export function ask<K extends DialogRequest['kind']>(
  kind: K,
  fields: Fields<K>,
  signal?: AbortSignal,
): Promise<Answer<K>> {
  return new Promise((resolve) => {
    let open = true;
    const request = {
      id: nextId++,
      kind,
      ...fields,
      done: (answer: Answer<K>) => {
        if (!open) return;
        open = false;
        dialogs.value = dialogs.value.filter((d) => d !== request);
        resolve(answer);
      },
    } as unknown as DialogRequest;
    dialogs.value = [...dialogs.value, request];
    if (signal?.aborted) dismiss(request);
    else signal?.addEventListener('abort', () => dismiss(request), { once: true });
  });
}

/** The answer each kind gets when it is closed without a choice (Escape, the backdrop, the app closing). */
export function dismiss(request: DialogRequest): void {
  switch (request.kind) {
    case 'subscribe':
      request.done({ accepted: [], keepChoice: false });
      return;
    case 'system-subscribe':
      request.done({ accepted: [] });
      return;
    case 'modal':
      request.done({ confirm: false, cancel: true });
      return;
    case 'action-sheet':
      request.done(null);
      return;
    case 'confirm':
    case 'interaction':
      request.done(false);
      return;
  }
}
