/**
 * The API token of this tab. It lives in sessionStorage under `rendezvous.token` (the bench reads
 * the same key): it goes with the tab, is never put in a URL (links are shared) and never logged.
 */
const KEY = 'rendezvous.token';

export const storedToken = (): string | null => sessionStorage.getItem(KEY);
export const storeToken = (token: string): void => sessionStorage.setItem(KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(KEY);
