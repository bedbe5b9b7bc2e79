/**
 * The confirm step before anything is deleted: the page's modal <dialog> (keyboard: focus starts
 * on Cancel so Enter never deletes by accident, Esc cancels, Tab reaches the delete button;
 * the browser traps focus inside and returns it afterwards).
 */
export function confirmDelete(message: string, confirmLabel: string): Promise<boolean> {
  const dlg = document.getElementById('confirm') as HTMLDialogElement;
  const text = dlg.querySelector('#confirm-text')!;
  const ok = dlg.querySelector<HTMLButtonElement>('#confirm-ok')!;
  const cancel = dlg.querySelector<HTMLButtonElement>('#confirm-cancel')!;
  text.textContent = message;
  ok.textContent = confirmLabel;
  dlg.returnValue = '';
  return new Promise((resolve) => {
    dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'), { once: true });
    dlg.showModal();
    cancel.focus();
  });
}
