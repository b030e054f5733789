import { ApiError, api } from './api.ts';
import { byId } from './dom.ts';
import { storeToken } from './session.ts';
import type { Session } from './types.ts';

/** The sign-in form: the token is checked with GET /v1/session before it is kept. */
export function showSignIn(onSignedIn: (session: Session) => void, message = ''): void {
  const section = byId('signin');
  const form = byId<HTMLFormElement>('signin-form');
  const input = byId<HTMLInputElement>('token-input');
  const error = byId('signin-error');
  byId('workspace').hidden = true;
  byId('nav').hidden = true;
  section.hidden = false;
  error.textContent = message;
  input.value = '';
  input.focus();
  form.onsubmit = async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    error.textContent = '';
    if (!/^rzv_\S+$/.test(token)) {
      error.textContent = 'That is not a Rendezvous API token (they start with rzv_).';
      return;
    }
    try {
      const session = await api.session(token);
      storeToken(token);
      input.value = '';
      section.hidden = true;
      onSignedIn(session);
    } catch (err) {
      error.textContent = err instanceof ApiError && err.status === 401 ? `Token refused: ${err.message}` : `Could not sign in: ${(err as Error).message}`;
      input.select();
    }
  };
}
