import { signal } from '@preact/signals';

/** A short line at the bottom of the phone that says what just happened (and is read out). */
export const toast = signal<{ text: string; id: number } | null>(null);

let timer: ReturnType<typeof setTimeout> | undefined;
let id = 0;

export function showToast(text: string): void {
  clearTimeout(timer);
  toast.value = { text, id: ++id };
  timer = setTimeout(() => {
    toast.value = null;
  }, 3000);
}
